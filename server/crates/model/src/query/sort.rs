//! The `sort` parameter: `sort=-createdAt,title` or repeated `sort[]=…`;
//! a leading `-` sorts descending.

use super::FieldPath;
use super::list::QueryError;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SortKey {
    pub path: FieldPath,
    pub descending: bool,
}

/// Each item may hold several comma-separated keys; empty pieces are
/// skipped, so `sort=` alone sorts by nothing.
pub fn parse_sort<'a>(
    items: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<SortKey>, QueryError> {
    let mut keys = Vec::new();
    for item in items {
        for piece in item
            .split(',')
            .map(str::trim)
            .filter(|piece| !piece.is_empty())
        {
            let (descending, name) = match piece.strip_prefix('-') {
                Some(name) => (true, name),
                None => (false, piece),
            };
            if name.is_empty() || name.starts_with('-') {
                return Err(QueryError::new(
                    "sort",
                    format!("sort key `{piece}` must be a field name, optionally after one `-`"),
                ));
            }
            let path = dotted_path(name).map_err(|message| QueryError::new("sort", message))?;
            keys.push(SortKey { path, descending });
        }
    }
    Ok(keys)
}

/// `author.name` as a path; refuses empty parts (`a..b`, `.a`).
pub(super) fn dotted_path(text: &str) -> Result<FieldPath, String> {
    let parts: Vec<String> = text.split('.').map(str::to_owned).collect();
    if parts.iter().any(String::is_empty) {
        return Err(format!("field path `{text}` has an empty part"));
    }
    Ok(FieldPath(parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(path: &[&str], descending: bool) -> SortKey {
        SortKey {
            path: FieldPath(path.iter().map(|part| part.to_string()).collect()),
            descending,
        }
    }

    #[test]
    fn commas_dashes_and_repeats() {
        assert_eq!(
            parse_sort(["-createdAt,title", "author.name", "-author.id"]).unwrap(),
            vec![
                key(&["createdAt"], true),
                key(&["title"], false),
                key(&["author", "name"], false),
                key(&["author", "id"], true),
            ]
        );
    }

    #[test]
    fn empty_pieces_are_skipped() {
        assert_eq!(
            parse_sort(["", ",", "a,,b,", " c "]).unwrap(),
            vec![key(&["a"], false), key(&["b"], false), key(&["c"], false),]
        );
        assert_eq!(parse_sort(std::iter::empty()).unwrap(), vec![]);
    }

    #[test]
    fn bad_names_are_refused() {
        for bad in ["--a", "-", "a,-", "a..b", ".a", "a."] {
            let error = parse_sort([bad]).unwrap_err();
            assert_eq!(error.parameter, "sort", "{bad}");
        }
        assert_eq!(
            parse_sort(["--a"]).unwrap_err().message,
            "sort key `--a` must be a field name, optionally after one `-`"
        );
        assert_eq!(
            parse_sort(["a..b"]).unwrap_err().message,
            "field path `a..b` has an empty part"
        );
    }
}
