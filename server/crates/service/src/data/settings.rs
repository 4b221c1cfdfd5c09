//! The admin's choices on top of an introspected table, and how the two
//! combine into the [`Collection`] queries run against: hidden fields left
//! out, the record key chosen, relations read from foreign keys or declared.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use connectors::schema::{Collection, ColumnInfo, Field, Relation, RelationKind, TableKind};
use model::data::{CollectionView, Engine, FieldView, RelationView};
use serde::{Deserialize, Serialize};

use super::definitions::StoredCollection;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CollectionSettings {
    pub title: Option<String>,
    pub field_titles: BTreeMap<String, String>,
    /// Fields no one sees through Ferrobase (still in the database).
    pub hidden: BTreeSet<String>,
    /// The record key of a view or a table without a primary key.
    pub record_key: Option<Vec<String>>,
    /// Relations declared by hand, beside those read from foreign keys.
    pub relations: Vec<DeclaredRelation>,
    /// The choices of designer `select` fields (stored as text columns).
    pub field_options: BTreeMap<String, Vec<String>>,
}

impl CollectionSettings {
    /// Forgets titles, hidden fields, a record key and declared relations
    /// naming columns that no longer exist; `columns_of` gives the columns
    /// of a collection of the source (`None`: no such collection).
    pub fn prune<'c>(&mut self, own: &str, columns_of: &dyn Fn(&str) -> Option<BTreeSet<&'c str>>) {
        let Some(mine) = columns_of(own) else {
            return;
        };
        self.field_titles
            .retain(|field, _| mine.contains(field.as_str()));
        self.hidden.retain(|field| mine.contains(field.as_str()));
        self.field_options
            .retain(|field, _| mine.contains(field.as_str()));
        if self
            .record_key
            .as_ref()
            .is_some_and(|key| key.iter().any(|f| !mine.contains(f.as_str())))
        {
            self.record_key = None;
        }
        self.relations.retain(|r| {
            let (here, there) = match r.kind {
                RelationKind::ManyToOne => (&r.foreign_key, &r.target_key),
                RelationKind::OneToMany => (&r.target_key, &r.foreign_key),
            };
            mine.contains(here.as_str())
                && columns_of(&r.target).is_some_and(|theirs| theirs.contains(there.as_str()))
        });
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeclaredRelation {
    pub name: String,
    pub kind: RelationKind,
    pub target: String,
    pub foreign_key: String,
    pub target_key: String,
}

/// Every collection of one source, as queries see them (hidden fields
/// removed), keyed by name.
pub fn build_catalog(engine: Engine, stored: &[StoredCollection]) -> HashMap<String, Collection> {
    let by_table: HashMap<&str, &str> = stored
        .iter()
        .map(|c| (c.structure.table.name.as_str(), c.name.as_str()))
        .collect();
    let mut catalog: HashMap<String, Collection> = stored
        .iter()
        .map(|c| (c.name.clone(), base_collection(engine, c)))
        .collect();
    // Foreign keys give a many-to-one here and a one-to-many on the target.
    for source in stored {
        for key in &source.structure.foreign_keys {
            let ([column], [target_column]) =
                (key.columns.as_slice(), key.referenced_columns.as_slice())
            else {
                continue;
            };
            let Some(&target) = by_table.get(key.referenced_table.as_str()) else {
                continue;
            };
            let forward = Relation {
                name: String::new(),
                kind: RelationKind::ManyToOne,
                target: target.to_owned(),
                foreign_key: column.clone(),
                target_key: target_column.clone(),
            };
            add_relation(&mut catalog, &source.name, forward, &relation_stem(column));
            let backward = Relation {
                name: String::new(),
                kind: RelationKind::OneToMany,
                target: source.name.clone(),
                foreign_key: column.clone(),
                target_key: target_column.clone(),
            };
            add_relation(&mut catalog, target, backward, &source.name);
        }
    }
    for source in stored {
        for declared in &source.settings.relations {
            if !catalog.contains_key(&declared.target) {
                continue;
            }
            let relation = Relation {
                name: String::new(),
                kind: declared.kind,
                target: declared.target.clone(),
                foreign_key: declared.foreign_key.clone(),
                target_key: declared.target_key.clone(),
            };
            add_relation(&mut catalog, &source.name, relation, &declared.name);
        }
    }
    catalog
}

fn base_collection(engine: Engine, stored: &StoredCollection) -> Collection {
    let structure = &stored.structure;
    let fields: Vec<Field> = structure
        .columns
        .iter()
        .filter(|c| !stored.settings.hidden.contains(&c.name))
        .map(|c| field_for(engine, c, &stored.settings))
        .collect();
    let key = stored
        .settings
        .record_key
        .clone()
        .unwrap_or_else(|| structure.primary_key.clone());
    Collection {
        name: stored.name.clone(),
        schema: structure.table.schema.clone(),
        table: structure.table.name.clone(),
        key,
        fields,
        relations: Vec::new(),
    }
}

/// The field for a column; a designer `select` is text in the database
/// and an enum with its options here.
fn field_for(engine: Engine, column: &ColumnInfo, settings: &CollectionSettings) -> Field {
    let mut field = Field::from_column(engine, column);
    if let Some(options) = settings.field_options.get(&column.name) {
        field.interface = model::data::FieldInterface::Enum;
        field.options = options.clone();
    }
    field
}

/// `author_id` / `authorId` → `author`; anything else keeps its name.
fn relation_stem(column: &str) -> String {
    for suffix in ["_id", "Id", "_ID"] {
        if let Some(stem) = column.strip_suffix(suffix).filter(|s| !s.is_empty()) {
            return stem.to_owned();
        }
    }
    format!("{column}_ref")
}

/// Adds a relation under a name that clashes with no field or relation.
fn add_relation(
    catalog: &mut HashMap<String, Collection>,
    collection: &str,
    mut relation: Relation,
    wanted: &str,
) {
    let Some(owner) = catalog.get_mut(collection) else {
        return;
    };
    let taken = |name: &str, owner: &Collection| {
        owner.field(name).is_some() || owner.relation(name).is_some()
    };
    let mut name = wanted.to_owned();
    let mut n = 2;
    while taken(&name, owner) {
        name = format!("{wanted}{n}");
        n += 1;
    }
    relation.name = name;
    owner.relations.push(relation);
}

/// The admin's view of a collection: every field, hidden ones flagged.
pub fn collection_view(
    data_source: &str,
    engine: Engine,
    stored: &StoredCollection,
    built: Option<&Collection>,
) -> CollectionView {
    let structure = &stored.structure;
    let settings = &stored.settings;
    let declared: BTreeSet<&str> = settings.relations.iter().map(|r| r.name.as_str()).collect();
    CollectionView {
        data_source: data_source.to_owned(),
        name: stored.name.clone(),
        title: settings
            .title
            .clone()
            .unwrap_or_else(|| stored.name.clone()),
        table: structure.table.name.clone(),
        view: structure.table.kind == TableKind::View,
        key: built.map(|c| c.key.clone()).unwrap_or_default(),
        fields: structure
            .columns
            .iter()
            .map(|column| {
                let field = field_for(engine, column, settings);
                FieldView {
                    title: settings
                        .field_titles
                        .get(&column.name)
                        .cloned()
                        .unwrap_or_else(|| column.name.clone()),
                    hidden: settings.hidden.contains(&column.name),
                    name: field.name,
                    interface: field.interface,
                    db_type: field.db_type,
                    nullable: field.nullable,
                    max_length: field.max_length,
                    generated: field.generated,
                    has_default: field.has_default,
                    options: field.options,
                }
            })
            .collect(),
        relations: built
            .map(|c| {
                c.relations
                    .iter()
                    .map(|r| RelationView {
                        name: r.name.clone(),
                        kind: match r.kind {
                            RelationKind::ManyToOne => "manyToOne".into(),
                            RelationKind::OneToMany => "oneToMany".into(),
                        },
                        target: r.target.clone(),
                        foreign_key: r.foreign_key.clone(),
                        target_key: r.target_key.clone(),
                        declared: declared.contains(r.name.as_str()),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        actions: ["view", "create", "update", "destroy"]
            .map(String::from)
            .to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connectors::schema::{ForeignKey, TableInfo, TableSchema};

    fn column(name: &str, db_type: &str) -> ColumnInfo {
        ColumnInfo {
            name: name.into(),
            db_type: db_type.into(),
            nullable: true,
            default: None,
            max_length: None,
            precision: None,
            scale: None,
            generated: false,
            enum_values: vec![],
        }
    }

    fn stored(name: &str, columns: Vec<ColumnInfo>, fks: Vec<ForeignKey>) -> StoredCollection {
        StoredCollection {
            data_source: "pg".into(),
            name: name.into(),
            structure: TableSchema {
                table: TableInfo {
                    schema: None,
                    name: name.into(),
                    kind: TableKind::Table,
                },
                columns,
                primary_key: vec!["id".into()],
                unique: vec![],
                foreign_keys: fks,
            },
            settings: CollectionSettings::default(),
        }
    }

    #[test]
    fn pruning_forgets_only_what_names_a_gone_column() {
        let relation = |name: &str, kind, fk: &str, tk: &str| DeclaredRelation {
            name: name.into(),
            kind,
            target: "users".into(),
            foreign_key: fk.into(),
            target_key: tk.into(),
        };
        let mut settings = CollectionSettings {
            title: Some("Posts".into()),
            field_titles: [("gone", "G"), ("id", "Id")]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .into(),
            hidden: ["gone".to_owned(), "id".to_owned()].into(),
            record_key: Some(vec!["id".into(), "gone".into()]),
            relations: vec![
                relation("kept", RelationKind::ManyToOne, "id", "id"),
                relation("mine", RelationKind::ManyToOne, "gone", "id"),
                relation("theirs", RelationKind::ManyToOne, "id", "gone"),
                relation("back", RelationKind::OneToMany, "user_id", "id"),
            ],
            ..CollectionSettings::default()
        };
        let columns = |name: &str| match name {
            "posts" => Some(BTreeSet::from(["id"])),
            "users" => Some(BTreeSet::from(["id", "user_id"])),
            _ => None,
        };
        settings.prune("posts", &columns);
        assert_eq!(settings.title.as_deref(), Some("Posts"));
        assert_eq!(settings.field_titles.keys().collect::<Vec<_>>(), ["id"]);
        assert_eq!(settings.hidden.iter().collect::<Vec<_>>(), ["id"]);
        assert_eq!(settings.record_key, None);
        let names: Vec<&str> = settings.relations.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["kept", "back"]);
    }

    #[test]
    fn foreign_keys_become_relations_both_ways_and_hidden_fields_vanish() {
        let fk = ForeignKey {
            name: "posts_author".into(),
            columns: vec!["author_id".into()],
            referenced_schema: None,
            referenced_table: "users".into(),
            referenced_columns: vec!["id".into()],
        };
        let mut posts = stored(
            "posts",
            vec![
                column("id", "integer"),
                column("author_id", "integer"),
                column("secret", "text"),
            ],
            vec![fk],
        );
        posts.settings.hidden.insert("secret".into());
        let users = stored(
            "users",
            vec![column("id", "integer"), column("posts", "text")],
            vec![],
        );
        let catalog = build_catalog(Engine::Postgres, &[posts, users]);
        let posts = &catalog["posts"];
        assert!(posts.field("secret").is_none());
        assert_eq!(posts.relation("author").unwrap().target, "users");
        // `posts` is taken by a field on users: the relation gets a free name.
        let users = &catalog["users"];
        assert_eq!(users.relations[0].name, "posts2");
        assert_eq!(users.relations[0].kind, RelationKind::OneToMany);
    }
}
