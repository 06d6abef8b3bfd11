//! Writes a config the user edited in the window back into their file without losing the
//! comments and layout they wrote: values change in place, keys keep their comments.

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table};

/// `new_text` (a freshly serialised config) laid over `existing` (the user's file): every value
/// from `new_text`, with the comments and order of `existing` where keys survive. `None` when
/// `existing` does not parse (then the caller writes `new_text` as it is).
pub fn merge_into(existing: &str, new_text: &str) -> Option<String> {
    let mut old: DocumentMut = existing.parse().ok()?;
    let new: DocumentMut = new_text.parse().ok()?;
    merge_table(old.as_table_mut(), new.as_table());
    Some(old.to_string())
}

fn merge_table(old: &mut Table, new: &Table) {
    let gone: Vec<String> = old
        .iter()
        .map(|(k, _)| k.to_owned())
        .filter(|k| !new.contains_key(k))
        .collect();
    for key in gone {
        old.remove(&key);
    }
    for (key, new_item) in new.iter() {
        match old.get_mut(key) {
            Some(old_item) => merge_item(old_item, new_item),
            None => {
                old.insert(key, new_item.clone());
            }
        }
    }
}

fn merge_item(old: &mut Item, new: &Item) {
    match (old, new) {
        (Item::Table(o), Item::Table(n)) => merge_table(o, n),
        (Item::ArrayOfTables(o), Item::ArrayOfTables(n)) => merge_tables_by_name(o, n),
        (Item::Value(o), Item::Value(n)) => {
            // Same value: leave the user's spelling alone (80 vs 80.0, quotes, spacing).
            if o.to_string().trim() != n.to_string().trim() && !same_number(o, n) {
                let decor = o.decor().clone();
                *o = n.clone();
                *o.decor_mut() = decor;
            }
        }
        (o, n) => *o = n.clone(),
    }
}

/// A list of tables (`[[rules]]`): each new table is laid over the old one with the same
/// `name`, so a rule keeps its comments when others are added, removed or moved. Unnamed
/// tables pair by position.
fn merge_tables_by_name(old: &mut ArrayOfTables, new: &ArrayOfTables) {
    let name = |t: &Table| t.get("name").and_then(Item::as_str).map(str::to_owned);
    // Where the list sits in the file: every merged table takes the first one's place, and the
    // (stable) ordering by place then keeps the list's own order.
    let place = old.iter().find_map(Table::position);
    let mut unused: Vec<Option<Table>> = old.iter().cloned().map(Some).collect();
    let mut merged = ArrayOfTables::new();
    for (i, new_table) in new.iter().enumerate() {
        let matching = match name(new_table) {
            Some(wanted) => unused
                .iter()
                .position(|t| t.as_ref().and_then(name).as_deref() == Some(wanted.as_str())),
            None => (i < unused.len() && unused[i].as_ref().is_some_and(|t| name(t).is_none()))
                .then_some(i),
        };
        let mut table = match matching.and_then(|at| unused.get_mut(at).and_then(Option::take)) {
            Some(mut table) => {
                merge_table(&mut table, new_table);
                table
            }
            None => new_table.clone(),
        };
        if let Some(place) = place {
            table.set_position(place);
        }
        merged.push(table);
    }
    *old = merged;
}

fn same_number(a: &toml_edit::Value, b: &toml_edit::Value) -> bool {
    let num = |v: &toml_edit::Value| v.as_float().or_else(|| v.as_integer().map(|i| i as f64));
    matches!((num(a), num(b)), (Some(x), Some(y)) if x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_comments_and_changes_values() {
        let existing = "# my settings\nversion = 1\n\n[sampling]\n# fast\ninterval = \"1s\" # tick\n\n[[rules]]\n# the important one\nname = \"cpu\"\nthreshold = 80\n";
        let new = "version = 1\n\n[sampling]\ninterval = \"5s\"\n\n[[rules]]\nname = \"cpu\"\nthreshold = 90.0\nop = \">\"\n";
        let merged = merge_into(existing, new).expect("both parse");
        assert!(merged.starts_with("# my settings\n"), "{merged}");
        assert!(
            merged.contains("# fast\ninterval = \"5s\" # tick"),
            "value changed in place: {merged}"
        );
        assert!(
            merged.contains("# the important one\nname = \"cpu\""),
            "{merged}"
        );
        assert!(merged.contains("threshold = 90.0"), "{merged}");
        assert!(
            merged.contains("op = \">\""),
            "new keys are added: {merged}"
        );
        let reparsed: toml::Value = toml::from_str(&merged).expect("valid TOML");
        let expected: toml::Value = toml::from_str(new).expect("valid TOML");
        assert_eq!(
            reparsed, expected,
            "the merged file means exactly the new config"
        );
    }

    #[test]
    fn same_numbers_keep_their_spelling_and_removed_keys_go() {
        let merged = merge_into("a = 80\nb = 1\n", "a = 80.0\n").expect("parse");
        assert_eq!(merged, "a = 80\n");
    }

    #[test]
    fn rules_added_or_removed_replace_the_list() {
        let merged = merge_into(
            "[[rules]]\nname = \"a\"\n",
            "[[rules]]\nname = \"a\"\n\n[[rules]]\nname = \"b\"\n",
        )
        .expect("parse");
        let v: toml::Value = toml::from_str(&merged).expect("valid");
        assert_eq!(v["rules"].as_array().map(Vec::len), Some(2), "{merged}");
    }

    #[test]
    fn comments_stay_with_their_rule_when_rules_come_and_go() {
        let existing = "version = 1\n\n# rule a\n[[rules]]\nname = \"a\" # first\nthreshold = 1\n\n# rule b\n[[rules]]\nname = \"b\" # second\nthreshold = 2\n\n[storage]\nlog_days = 9\n";
        // `a` removed, `c` added in front, `b` changed.
        let new = "version = 1\n\n[storage]\nlog_days = 9\n\n[[rules]]\nname = \"c\"\nthreshold = 3\n\n[[rules]]\nname = \"b\"\nthreshold = 5\n";
        let merged = merge_into(existing, new).expect("both parse");
        assert!(
            merged.contains("# rule b\n[[rules]]\nname = \"b\" # second\nthreshold = 5"),
            "b keeps its comments: {merged}"
        );
        assert!(
            !merged.contains("# rule a") && !merged.contains("# first"),
            "a's comments leave with it: {merged}"
        );
        let reparsed: toml::Value = toml::from_str(&merged).expect("valid TOML");
        let expected: toml::Value = toml::from_str(new).expect("valid TOML");
        assert_eq!(
            reparsed, expected,
            "the merged file means the new config: {merged}"
        );
    }

    #[test]
    fn a_broken_file_is_not_merged() {
        assert_eq!(merge_into("[[rules]\n", "a = 1\n"), None);
    }
}
