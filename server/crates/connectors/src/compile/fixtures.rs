//! Two related collections for compiler tests: `posts` (m2o `author`) and
//! `users` (o2m `posts`).

use std::collections::HashMap;

use model::data::FieldInterface;

use crate::schema::{Collection, Field, Relation, RelationKind};

pub fn field(name: &str, interface: FieldInterface, db_type: &str) -> Field {
    Field {
        name: name.into(),
        interface,
        db_type: db_type.into(),
        nullable: true,
        max_length: None,
        generated: false,
        has_default: false,
        options: vec![],
    }
}

pub fn catalog() -> HashMap<String, Collection> {
    let mut id = field("id", FieldInterface::Integer, "integer");
    id.generated = true;
    id.nullable = false;
    let mut title = field("title", FieldInterface::Text, "character varying(80)");
    title.nullable = false;
    title.max_length = Some(80);
    let posts = Collection {
        name: "posts".into(),
        schema: Some("public".into()),
        table: "posts".into(),
        key: vec!["id".into()],
        fields: vec![
            id.clone(),
            title,
            field("body", FieldInterface::LongText, "text"),
            field("views", FieldInterface::Integer, "integer"),
            field("price", FieldInterface::Decimal, "numeric(10,2)"),
            field("published", FieldInterface::Boolean, "boolean"),
            field(
                "published_at",
                FieldInterface::Datetime,
                "timestamp with time zone",
            ),
            field("author_id", FieldInterface::Integer, "integer"),
        ],
        relations: vec![Relation {
            name: "author".into(),
            kind: RelationKind::ManyToOne,
            target: "users".into(),
            foreign_key: "author_id".into(),
            target_key: "id".into(),
        }],
    };
    let users = Collection {
        name: "users".into(),
        schema: Some("public".into()),
        table: "users".into(),
        key: vec!["id".into()],
        fields: vec![id, field("name", FieldInterface::Text, "text")],
        relations: vec![Relation {
            name: "posts".into(),
            kind: RelationKind::OneToMany,
            target: "posts".into(),
            foreign_key: "author_id".into(),
            target_key: "id".into(),
        }],
    };
    HashMap::from([("posts".to_owned(), posts), ("users".to_owned(), users)])
}
