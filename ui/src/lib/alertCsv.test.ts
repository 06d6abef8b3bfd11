import { describe, expect, test } from "vitest";
import type { AlertEvent } from "./bindings/AlertEvent";
import type { LoggedAlert } from "./bindings/LoggedAlert";
import { CSV_COLUMNS, alertFields, alertsCsv, csvField, csvFileName, csvNumber, csvRecord, defuseFormula, rfc3339 } from "./alertCsv";

const AT = Date.UTC(2026, 4, 1, 9, 30, 0, 250);
const HEADER = "time,rule,state,severity,metric,value,threshold,culprits,actions\r\n";

const entry = (event: Partial<AlertEvent> = {}, actions: LoggedAlert["actions"] = []): LoggedAlert => ({
  id: 7,
  event: {
    rule: "CPU saturated", state: "firing", severity: "critical", metric: "cpu.total", value: 97.5, threshold: 90,
    clear_threshold: 85, op: ">", aggregate: "avg", window: "5m", at: AT, since: AT - 300_000, coverage: 1,
    channels: [], notify: true, ...event,
  },
  actions,
});

/**
 * A small RFC 4180 reader, to prove the export reads back field for field: quoted fields may
 * hold commas, CRLF and doubled quotes; records end with CRLF.
 */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else quoted = false;
    } else if (c === '"') {
      expect(field, "a quote only opens a field").toBe("");
      quoted = true;
    } else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i += 1;
    } else {
      expect(c, "a bare CR or LF only inside quotes").not.toMatch(/[\r\n]/);
      field += c;
    }
  }
  expect(quoted, "every quote closed").toBe(false);
  expect(row.length === 0 && field === "", "the last record ends with CRLF").toBe(true);
  return rows;
}

describe("CSV fields", () => {
  test("plain text is written as it is", () => {
    expect(csvField("CPU saturated")).toBe("CPU saturated");
    expect(csvField("")).toBe("");
    expect(csvField("디스크 거의 참")).toBe("디스크 거의 참");
  });

  test("commas, quotes, CR and LF are quoted, inner quotes doubled", () => {
    expect(csvField("disk /, almost full")).toBe('"disk /, almost full"');
    expect(csvField('the "main" disk')).toBe('"the ""main"" disk"');
    expect(csvField('"')).toBe('""""');
    expect(csvField("one\ntwo")).toBe('"one\ntwo"');
    expect(csvField("one\r\ntwo")).toBe('"one\r\ntwo"');
  });

  test("a field a spreadsheet would run as a formula starts with a single quote", () => {
    expect(defuseFormula("=HYPERLINK(\"http://evil\",\"x\")")).toBe("'=HYPERLINK(\"http://evil\",\"x\")");
    expect(defuseFormula("+1+2")).toBe("'+1+2");
    expect(defuseFormula("-2+3+cmd|' /C calc'!A0")).toBe("'-2+3+cmd|' /C calc'!A0");
    expect(defuseFormula("@SUM(A1:A2)")).toBe("'@SUM(A1:A2)");
    expect(defuseFormula("\t=1")).toBe("'\t=1");
    expect(defuseFormula("+5"), "a plus sign is never how a number is written here").toBe("'+5");
    expect(defuseFormula("a=b"), "only the first character counts").toBe("a=b");
    expect(defuseFormula("'quoted"), "already text").toBe("'quoted");
  });

  test("negative numbers stay numbers", () => {
    expect(defuseFormula("-5")).toBe("-5");
    expect(defuseFormula("-0.25")).toBe("-0.25");
    expect(defuseFormula("-1e-7")).toBe("-1e-7");
    expect(defuseFormula("-5-1"), "arithmetic is a formula").toBe("'-5-1");
    expect(defuseFormula("-"), "a lone minus").toBe("'-");
  });

  test("the guard comes before the quoting, so a defused field is still well quoted", () => {
    expect(csvField('=IMPORTXML("http://x",A1)')).toBe(`"'=IMPORTXML(""http://x"",A1)"`);
    expect(csvField("@x\ny")).toBe("\"'@x\ny\"");
  });

  test("a record joins its fields with commas and ends with CRLF", () => {
    expect(csvRecord(["a", "b,c", ""])).toBe('a,"b,c",\r\n');
    expect(csvRecord([])).toBe("\r\n");
  });
});

describe("the alert log as CSV", () => {
  test("an empty log is the header alone", () => {
    expect(alertsCsv([])).toBe(HEADER);
    expect(parseCsv(alertsCsv([]))).toEqual([[...CSV_COLUMNS]]);
  });

  test("an entry is one record: RFC 3339 time, codes, keys and plain numbers", () => {
    expect(alertsCsv([entry()])).toBe(`${HEADER}2026-05-01T09:30:00.250Z,CPU saturated,firing,critical,cpu.total,97.5,90,,\r\n`);
    expect(rfc3339(0)).toBe("1970-01-01T00:00:00.000Z");
  });

  test("no reading is an empty value; negative values and thresholds stay numbers", () => {
    const fields = alertFields(entry({ value: null, metric: "temp.x", threshold: -10 }));
    expect(fields.slice(4, 7)).toEqual(["temp.x", "", "-10"]);
    expect(alertsCsv([entry({ value: -12.5, threshold: -10 })])).toContain(",cpu.total,-12.5,-10,");
  });

  test("numbers keep 12 significant digits, without the noise of adding up doubles", () => {
    expect(csvNumber(79.83299999999993)).toBe("79.833");
    expect(csvNumber(90.25433333333328)).toBe("90.2543333333");
    expect(csvNumber(0.1 + 0.2)).toBe("0.3");
    expect(csvNumber(641728512)).toBe("641728512");
    expect(csvNumber(123456789.125)).toBe("123456789.125");
    expect(csvNumber(-0.000001)).toBe("-0.000001");
    expect(csvNumber(null)).toBe("");
    expect(csvNumber(Number.NaN)).toBe("");
    expect(csvNumber(Number.POSITIVE_INFINITY)).toBe("");
  });

  test("keeps the order it is given, one record per entry", () => {
    const log = [entry({ at: AT + 2000, state: "resolved" }), entry({ at: AT + 1000 }), entry({ at: AT, state: "pending" })];
    const rows = parseCsv(alertsCsv(log));
    expect(rows.length).toBe(4);
    expect(rows.slice(1).map((r) => `${r[0]} ${r[2]}`)).toEqual([
      "2026-05-01T09:30:02.250Z resolved", "2026-05-01T09:30:01.250Z firing", "2026-05-01T09:30:00.250Z pending",
    ]);
  });

  test("rule names with commas, quotes, newlines and formulas read back as written, defused", () => {
    const names = ['Disk "/", almost full', "two\nlines", "=1+1", "-cmd", "@home"];
    const rows = parseCsv(alertsCsv(names.map((rule) => entry({ rule }))));
    expect(rows.slice(1).map((r) => r[1])).toEqual(['Disk "/", almost full', "two\nlines", "'=1+1", "'-cmd", "'@home"]);
    expect(rows.every((r) => r.length === CSV_COLUMNS.length), "no field spills into the next").toBe(true);
  });

  test("culprits and action results, one per line in their columns", () => {
    const a = entry(
      {
        culprits: [
          { pid: 4242, name: "stress", user: "alice", command: 'stress --cpu 8 --msg "hi, there"', cpu_pct: 380.5, rss_bytes: 1048576 },
          { pid: 17, name: "=evil", user: null, command: "=evil", cpu_pct: null, rss_bytes: 0 },
        ],
      },
      [
        { rule: "CPU saturated", action: 0, command: ["systemctl", "restart", "my app"], trigger: "firing", started: AT, finished: AT + 1500, outcome: { kind: "exited", code: 0 }, output: "ok", truncated: false },
        { rule: "CPU saturated", action: 1, command: ["/bin/false"], trigger: "firing", started: AT, finished: AT + 30_000, outcome: { kind: "timed_out" }, output: "", truncated: false },
      ],
    );
    const [, row] = parseCsv(alertsCsv([a]));
    expect(row[7].split("\n")).toEqual([
      'pid=4242; name=stress; user=alice; cpu_pct=380.5; rss_bytes=1048576; command=stress --cpu 8 --msg "hi, there"',
      "pid=17; name==evil; rss_bytes=0; command==evil",
    ]);
    expect(row[8].split("\n")).toEqual([
      "trigger=firing; outcome=exited 0; took_ms=1500; command=systemctl restart 'my app'",
      "trigger=firing; outcome=timed_out; took_ms=30000; command=/bin/false",
    ]);
  });

  test("a gave_up entry names the action it stopped running", () => {
    const a = entry({ state: "gave_up", gave_up: { command: ["/usr/bin/restart-it"], runs: 3, within: "15m" } }, [
      { rule: "CPU saturated", action: 0, command: ["/usr/bin/restart-it"], trigger: "reminder", started: AT, finished: AT + 5, outcome: { kind: "not_started", error: "No such file" }, output: "", truncated: false },
    ]);
    expect(alertFields(a)[8].split("\n")).toEqual([
      "trigger=reminder; outcome=not_started: No such file; took_ms=5; command=/usr/bin/restart-it",
      "gave_up runs=3; within=15m; command=/usr/bin/restart-it",
    ]);
    expect(alertFields(entry({ gave_up: { command: ["x"], runs: 1, within: null } }))[8]).toBe("gave_up runs=1; command=x");
  });
});

describe("the file name", () => {
  test("is the local date and time it was made, zero-padded", () => {
    expect(csvFileName(new Date(2026, 0, 2, 3, 4, 5))).toBe("lookout-alerts-20260102-0304.csv");
    expect(csvFileName(new Date(2026, 11, 31, 23, 59))).toBe("lookout-alerts-20261231-2359.csv");
  });
});
