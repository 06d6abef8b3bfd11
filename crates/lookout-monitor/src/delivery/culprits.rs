//! How an alert's culprits read: one line each (notifications, the CLI), aligned columns
//! (the text email) and an HTML table (the HTML email).

use crate::delivery::format::{bytes_text, html_escape, one_line};
use lookout_core::Culprit;
use lookout_i18n::Language;

/// "stress (pid 4242, alice): 97.3 % CPU, 1.2 GiB".
pub fn line(c: &Culprit, lang: Language) -> String {
    let who = match &c.user {
        Some(user) => lang.catalog().text(
            "culprit-who-user",
            &[("pid", &c.pid.to_string()), ("user", &one_line(user))],
        ),
        None => lang
            .catalog()
            .text("culprit-who", &[("pid", &c.pid.to_string())]),
    };
    lang.catalog().text(
        "culprit-line",
        &[
            ("name", &one_line(&c.name)),
            ("who", &who),
            ("cpu", &cpu_text(c)),
            ("memory", &bytes_text(c.rss_bytes as f64)),
        ],
    )
}

fn cpu_text(c: &Culprit) -> String {
    c.cpu_pct
        .map_or_else(|| "-".to_owned(), |p| format!("{p:.1} %"))
}

/// The column headings, in order: PID, user, CPU, memory, command.
fn headings(lang: Language) -> [String; 5] {
    let t = |id: &str| lang.catalog().text(id, &[]);
    [
        t("culprit-col-pid"),
        t("culprit-col-user"),
        t("culprit-col-cpu"),
        t("culprit-col-memory"),
        t("culprit-col-command"),
    ]
}

fn cells(c: &Culprit) -> [String; 5] {
    [
        c.pid.to_string(),
        c.user.as_deref().map_or_else(|| "-".to_owned(), one_line),
        cpu_text(c),
        bytes_text(c.rss_bytes as f64),
        one_line(&c.command),
    ]
}

/// A heading line and the culprits in aligned columns (for a monospace reader), or nothing
/// when there are none.
pub fn text_table(culprits: &[Culprit], lang: Language) -> String {
    if culprits.is_empty() {
        return String::new();
    }
    let rows: Vec<[String; 5]> = std::iter::once(headings(lang))
        .chain(culprits.iter().map(cells))
        .collect();
    let mut widths = [0usize; 4];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row.iter()) {
            *w = (*w).max(width(cell));
        }
    }
    let mut out = lang.catalog().text("culprit-heading", &[]);
    out.push('\n');
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            if i < 4 {
                // Numbers right-aligned, names left-aligned.
                let pad = " ".repeat(widths[i] - width(cell));
                if i == 1 {
                    out.push_str(&format!("{cell}{pad}  "));
                } else {
                    out.push_str(&format!("{pad}{cell}  "));
                }
            } else {
                out.push_str(cell);
            }
        }
        out.push('\n');
    }
    out
}

/// A heading and an HTML table of the culprits, every value escaped; nothing when none.
pub fn html_table(culprits: &[Culprit], lang: Language) -> String {
    if culprits.is_empty() {
        return String::new();
    }
    let th = headings(lang)
        .iter()
        .map(|h| {
            format!(
                "<th align=\"left\" style=\"padding-right:1em\">{}</th>",
                html_escape(h)
            )
        })
        .collect::<String>();
    let rows: String = culprits
        .iter()
        .map(|c| {
            let tds: String = cells(c)
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let style = if i == 4 {
                        "font-family:monospace"
                    } else {
                        "padding-right:1em"
                    };
                    format!("<td style=\"{style}\">{}</td>", html_escape(v))
                })
                .collect();
            format!("<tr>{tds}</tr>\n")
        })
        .collect();
    format!(
        "<h3>{}</h3>\n<table>\n<tr>{th}</tr>\n{rows}</table>\n",
        html_escape(&lang.catalog().text("culprit-heading", &[]))
    )
}

/// Columns a terminal gives `text`: two for Hangul and other wide East Asian characters.
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| {
            let wide = matches!(u32::from(c),
                0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
                | 0x4E00..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
                | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn culprit(pid: u32, name: &str, user: Option<&str>, cpu: f64) -> Culprit {
        Culprit {
            pid,
            name: name.into(),
            user: user.map(str::to_owned),
            command: format!("/usr/bin/{name} --busy <x>"),
            cpu_pct: Some(cpu),
            rss_bytes: 3 * 1024 * 1024,
        }
    }

    #[test]
    fn a_line_names_the_process_its_owner_and_its_use() {
        let c = culprit(4242, "stress", Some("alice"), 97.25);
        assert_eq!(
            line(&c, Language::En),
            "stress (pid 4242, alice): 97.2 % CPU, 3.0 MiB"
        );
        let nobody = culprit(7, "x", None, 1.0);
        assert_eq!(line(&nobody, Language::En), "x (pid 7): 1.0 % CPU, 3.0 MiB");
    }

    #[test]
    fn text_columns_line_up_in_korean_too() {
        let list = [
            culprit(4242, "stress", Some("alice"), 97.25),
            culprit(17, "sh", Some("긴사용자이름"), 3.0),
        ];
        for lang in [Language::En, Language::Ko] {
            let table = text_table(&list, lang);
            let lines: Vec<&str> = table.lines().skip(1).collect();
            assert_eq!(lines.len(), 3, "{table}");
            let command_at: Vec<usize> = lines
                .iter()
                .map(|l| {
                    let cut = l.find("/usr/bin").unwrap_or(l.len());
                    width(&l[..cut])
                })
                .collect();
            assert_eq!(command_at[1], command_at[2], "{lang:?}:\n{table}");
        }
        assert_eq!(text_table(&[], Language::En), "");
    }

    #[test]
    fn the_html_table_escapes_every_value() {
        let html = html_table(&[culprit(1, "<b>", Some("a&b"), 5.0)], Language::En);
        assert!(
            html.contains("&lt;b&gt;") || html.contains("--busy &lt;x&gt;"),
            "{html}"
        );
        assert!(html.contains("a&amp;b"), "{html}");
        assert!(!html.contains("<x>"), "{html}");
        assert_eq!(
            html.matches("<tr>").count(),
            2,
            "heading and one row: {html}"
        );
    }
}
