use serde::{Deserialize, Serialize};

/// How a field is shown, filtered and edited. Every column maps to one;
/// columns of types Ferrobase does not understand are `Unsupported`: listed,
/// readable as text, never writable and never silently dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum FieldInterface {
    Text,
    LongText,
    Integer,
    /// Floating point.
    Number,
    /// Exact numbers (NUMERIC/DECIMAL), carried as strings so no digit is lost.
    Decimal,
    Boolean,
    Date,
    Datetime,
    Time,
    Json,
    /// A value from a fixed list (a database enum or a single select).
    Enum,
    Uuid,
    Binary,
    Unsupported,
}

impl FieldInterface {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldInterface::Text => "text",
            FieldInterface::LongText => "longText",
            FieldInterface::Integer => "integer",
            FieldInterface::Number => "number",
            FieldInterface::Decimal => "decimal",
            FieldInterface::Boolean => "boolean",
            FieldInterface::Date => "date",
            FieldInterface::Datetime => "datetime",
            FieldInterface::Time => "time",
            FieldInterface::Json => "json",
            FieldInterface::Enum => "enum",
            FieldInterface::Uuid => "uuid",
            FieldInterface::Binary => "binary",
            FieldInterface::Unsupported => "unsupported",
        }
    }

    /// Text-like fields: the string operators (`$includes`, `$like`, …) apply.
    pub fn is_textual(self) -> bool {
        matches!(
            self,
            FieldInterface::Text
                | FieldInterface::LongText
                | FieldInterface::Enum
                | FieldInterface::Uuid
        )
    }

    pub fn is_temporal(self) -> bool {
        matches!(
            self,
            FieldInterface::Date | FieldInterface::Datetime | FieldInterface::Time
        )
    }

    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            FieldInterface::Integer | FieldInterface::Number | FieldInterface::Decimal
        )
    }
}
