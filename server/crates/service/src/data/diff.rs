//! What changed in a database since its tables were loaded: the report a
//! refresh shows before anything is applied.

use std::collections::{BTreeMap, BTreeSet};

use connectors::schema::{ColumnInfo, TableSchema};
use model::data::{ColumnChange, SchemaDiff, TableChange};

/// `loaded`: the structures as stored; `current`: the same tables read
/// again (a table missing here was dropped); `new_tables`: tables that
/// appeared since the last look.
pub fn diff(
    loaded: &[&TableSchema],
    current: &[TableSchema],
    new_tables: Vec<String>,
) -> SchemaDiff {
    let now: BTreeMap<&str, &TableSchema> =
        current.iter().map(|t| (t.table.name.as_str(), t)).collect();
    let mut report = SchemaDiff {
        tables_added: new_tables,
        ..SchemaDiff::default()
    };
    for before in loaded {
        let name = before.table.name.as_str();
        match now.get(name) {
            None => report.tables_removed.push(name.to_owned()),
            Some(after) => {
                let change = table_change(before, after);
                if change
                    != (TableChange {
                        table: name.to_owned(),
                        ..TableChange::default()
                    })
                {
                    report.tables_changed.push(change);
                }
            }
        }
    }
    report
}

fn table_change(before: &TableSchema, after: &TableSchema) -> TableChange {
    let columns = |t: &TableSchema| -> BTreeMap<String, ColumnInfo> {
        t.columns
            .iter()
            .map(|c| (c.name.clone(), c.clone()))
            .collect()
    };
    let (old, new) = (columns(before), columns(after));
    let mut change = TableChange {
        table: before.table.name.clone(),
        ..TableChange::default()
    };
    change.columns_added = new
        .keys()
        .filter(|k| !old.contains_key(*k))
        .cloned()
        .collect();
    change.columns_removed = old
        .keys()
        .filter(|k| !new.contains_key(*k))
        .cloned()
        .collect();
    for (name, was) in &old {
        if let Some(is) = new.get(name) {
            let describe = |c: &ColumnInfo| {
                format!(
                    "{}{}{}",
                    c.db_type,
                    if c.nullable { "" } else { " not null" },
                    c.default
                        .as_ref()
                        .map(|d| format!(" default {d}"))
                        .unwrap_or_default()
                )
            };
            let (from, to) = (describe(was), describe(is));
            if from != to {
                change.columns_changed.push(ColumnChange {
                    column: name.clone(),
                    before: from,
                    after: to,
                });
            }
        }
    }
    if before.primary_key != after.primary_key {
        change.keys_changed.push(format!(
            "primary key ({}) → ({})",
            before.primary_key.join(", "),
            after.primary_key.join(", ")
        ));
    }
    let set =
        |keys: &[Vec<String>]| -> BTreeSet<String> { keys.iter().map(|k| k.join(", ")).collect() };
    let (old_unique, new_unique) = (set(&before.unique), set(&after.unique));
    for gone in old_unique.difference(&new_unique) {
        change.keys_changed.push(format!("unique ({gone}) removed"));
    }
    for added in new_unique.difference(&old_unique) {
        change.keys_changed.push(format!("unique ({added}) added"));
    }
    let fks = |t: &TableSchema| -> BTreeSet<String> {
        t.foreign_keys
            .iter()
            .map(|k| {
                format!(
                    "({}) → {}({})",
                    k.columns.join(", "),
                    k.referenced_table,
                    k.referenced_columns.join(", ")
                )
            })
            .collect()
    };
    let (old_fk, new_fk) = (fks(before), fks(after));
    for gone in old_fk.difference(&new_fk) {
        change
            .keys_changed
            .push(format!("foreign key {gone} removed"));
    }
    for added in new_fk.difference(&old_fk) {
        change
            .keys_changed
            .push(format!("foreign key {added} added"));
    }
    change
}

#[cfg(test)]
mod tests {
    use super::*;
    use connectors::schema::{TableInfo, TableKind};

    fn table(name: &str, columns: &[(&str, &str)]) -> TableSchema {
        TableSchema {
            table: TableInfo {
                schema: None,
                name: name.into(),
                kind: TableKind::Table,
            },
            columns: columns
                .iter()
                .map(|(n, t)| ColumnInfo {
                    name: (*n).into(),
                    db_type: (*t).into(),
                    nullable: true,
                    default: None,
                    max_length: None,
                    precision: None,
                    scale: None,
                    generated: false,
                    enum_values: vec![],
                })
                .collect(),
            primary_key: vec!["id".into()],
            unique: vec![],
            foreign_keys: vec![],
        }
    }

    #[test]
    fn reports_added_removed_and_changed() {
        let items = table(
            "items",
            &[("id", "integer"), ("name", "text"), ("old", "text")],
        );
        let gone = table("gone", &[("id", "integer")]);
        let mut items_now = table(
            "items",
            &[("id", "integer"), ("name", "varchar(10)"), ("new", "text")],
        );
        items_now.primary_key = vec!["id".into(), "name".into()];
        let report = diff(&[&items, &gone], &[items_now], vec!["fresh".into()]);
        assert_eq!(report.tables_added, ["fresh"]);
        assert_eq!(report.tables_removed, ["gone"]);
        let change = &report.tables_changed[0];
        assert_eq!(change.columns_added, ["new"]);
        assert_eq!(change.columns_removed, ["old"]);
        assert_eq!(change.columns_changed[0].before, "text");
        assert_eq!(change.columns_changed[0].after, "varchar(10)");
        assert_eq!(change.keys_changed, ["primary key (id) → (id, name)"]);
        assert!(diff(&[&gone], std::slice::from_ref(&gone), vec![]).is_empty());
    }
}
