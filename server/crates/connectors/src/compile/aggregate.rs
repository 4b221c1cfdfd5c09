//! `SELECT dimensions, aggregates … GROUP BY dimensions` for the `query`
//! action (charts and reports). Runs through the same row decoding as a
//! list: each answer column gets a field describing how it is read.

use model::data::FieldInterface;
use model::query::{AggregateQuery, Aggregation, Measure, Paging};

use super::reading::read_expression;
use super::select::{ListPlan, push_select, shape, wrap};
use super::{Builder, ROOT, Scope};
use crate::dialect::Dialect;
use crate::schema::{Catalog, Collection, Field};
use crate::{Error, Result};

pub fn aggregate(
    dialect: Dialect,
    catalog: &dyn Catalog,
    collection: &Collection,
    query: &AggregateQuery,
    scope: Option<Scope<'_>>,
) -> Result<ListPlan> {
    let mut b = Builder::new(dialect, catalog);
    // (alias, SELECT expression, ORDER BY expression, answer field)
    let mut columns: Vec<(String, String, String, Field)> = Vec::new();
    let mut group_by = Vec::with_capacity(query.dimensions.len());
    for dimension in &query.dimensions {
        let field = field(collection, &dimension.field)?;
        if matches!(
            field.interface,
            FieldInterface::Json | FieldInterface::Binary | FieldInterface::Unsupported
        ) {
            return Err(Error::InvalidQuery(format!(
                "cannot group by `{}`: {} values have no equality every database agrees on",
                field.name,
                field.interface.as_str()
            )));
        }
        let column = b.column(ROOT, &field.name);
        let answer = renamed(field, &dimension.alias);
        let read = read_expression(dialect, &column, &answer);
        group_by.push(column.clone());
        columns.push((dimension.alias.clone(), read, column, answer));
    }
    for measure in &query.measures {
        let (expression, answer) = measure_expression(&b, collection, measure)?;
        let read = read_expression(dialect, &expression, &answer);
        columns.push((measure.alias.clone(), read, expression, answer));
    }
    let items: Vec<(String, String)> = columns
        .iter()
        .map(|(alias, read, _, _)| (alias.clone(), read.clone()))
        .collect();
    push_select(&mut b, &items);
    let from = format!(" FROM {} {}", b.table(collection), dialect.quote(ROOT));
    b.push(&from);
    b.where_clause(collection, query.filter.as_ref(), scope, None)?;
    if !group_by.is_empty() {
        b.push(" GROUP BY ");
        b.push(&group_by.join(", "));
    }
    let mut terms = Vec::with_capacity(query.orders.len());
    for order in &query.orders {
        // Checked when parsed: every order names a column of the answer.
        if let Some((_, _, expression, _)) = columns.iter().find(|c| c.0 == order.alias) {
            // A measure over no rows, or a dimension, may be NULL.
            terms.push(dialect.order_term(expression, order.descending, true));
        }
    }
    if !terms.is_empty() {
        b.push(" ORDER BY ");
        b.push(&terms.join(", "));
    } else if dialect == Dialect::Mssql {
        b.push(" ORDER BY (SELECT NULL)");
    }
    b.push(&dialect.paging(u64::from(query.limit), 0));
    Ok(ListPlan {
        rows: wrap(dialect, b.finish()),
        count: None,
        shape: shape(dialect),
        fields: columns.into_iter().map(|(_, _, _, field)| field).collect(),
        appends: Vec::new(),
        paging: Paging::All,
    })
}

fn field<'c>(collection: &'c Collection, name: &str) -> Result<&'c Field> {
    collection
        .field(name)
        .ok_or_else(|| Error::InvalidQuery(format!("`{}` has no field `{name}`", collection.name)))
}

fn renamed(field: &Field, alias: &str) -> Field {
    Field {
        name: alias.to_owned(),
        ..field.clone()
    }
}

/// The aggregate expression and how its value is read back. Sums keep the
/// field's kind (exact decimals stay exact); averages of whole or floating
/// numbers are floating point.
fn measure_expression(
    b: &Builder,
    collection: &Collection,
    measure: &Measure,
) -> Result<(String, Field)> {
    let dialect = b.dialect;
    let distinct = if measure.distinct { "DISTINCT " } else { "" };
    let Some(name) = &measure.field else {
        return Ok(("COUNT(*)".to_owned(), counted(&measure.alias)));
    };
    let field = field(collection, name)?;
    let column = b.column(ROOT, &field.name);
    let refuse = |what: &str| {
        Error::InvalidQuery(format!(
            "{what} `{}`: it is {}",
            field.name,
            field.interface.as_str()
        ))
    };
    Ok(match measure.aggregation {
        Aggregation::Count => (
            format!("COUNT({distinct}{column})"),
            counted(&measure.alias),
        ),
        Aggregation::Sum | Aggregation::Avg if !field.interface.is_numeric() => {
            return Err(refuse("only numbers can be summed or averaged, not"));
        }
        Aggregation::Sum => (
            format!("SUM({distinct}{column})"),
            renamed(field, &measure.alias),
        ),
        Aggregation::Avg if field.interface == FieldInterface::Decimal => (
            format!("AVG({distinct}{column})"),
            renamed(field, &measure.alias),
        ),
        Aggregation::Avg => (
            format!("CAST(AVG({distinct}{column}) AS {})", float_type(dialect)),
            Field {
                interface: FieldInterface::Number,
                ..renamed(field, &measure.alias)
            },
        ),
        Aggregation::Min | Aggregation::Max
            if matches!(
                field.interface,
                FieldInterface::Json
                    | FieldInterface::Binary
                    | FieldInterface::Boolean
                    | FieldInterface::Unsupported
            ) =>
        {
            return Err(refuse("there is no smallest or largest value of"));
        }
        Aggregation::Min => (format!("MIN({column})"), renamed(field, &measure.alias)),
        Aggregation::Max => (format!("MAX({column})"), renamed(field, &measure.alias)),
    })
}

fn counted(alias: &str) -> Field {
    Field {
        name: alias.to_owned(),
        interface: FieldInterface::Integer,
        db_type: "bigint".to_owned(),
        nullable: false,
        max_length: None,
        generated: true,
        has_default: false,
        options: Vec::new(),
    }
}

fn float_type(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Postgres => "double precision",
        Dialect::Mysql => "DOUBLE",
        Dialect::Sqlite => "REAL",
        Dialect::Mssql => "float",
        Dialect::Oracle => "BINARY_DOUBLE",
    }
}
