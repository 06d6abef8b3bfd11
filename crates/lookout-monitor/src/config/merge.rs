//! Writes a config the user edited in the window back into their file without losing the
//! comments and layout they wrote: values change in place, keys keep their comments.

use toml_edit::{DocumentMut, Item, Table};

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
        (Item::ArrayOfTables(o), Item::ArrayOfTables(n)) if o.len() == n.len() => {
            for (ot, nt) in o.iter_mut().zip(n.iter()) {
                merge_table(ot, nt);
            }
        }
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
    fn a_broken_file_is_not_merged() {
        assert_eq!(merge_into("[[rules]\n", "a = 1\n"), None);
    }
}
