//! Rendering the export model ([`coboard_shared::export::Plan`]) in every format people
//! take a plan away in: PDF for funders and committees, HTML that also opens in Word and
//! LibreOffice, Markdown, JSON for other tools, and CSV of the priorities for a spreadsheet.
//!
//! Every renderer takes the same model, so the formats agree; none of them reads the board.

mod csv;
mod html;
pub mod impact;
pub mod ledger;
mod markdown;
mod pdf;
pub mod standards;

use coboard_shared::export::{Plan, Scope, Source};

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Pdf,
    Html,
    Md,
    Json,
    Csv,
}

impl Format {
    pub const ALL: [Format; 5] = [Self::Pdf, Self::Html, Self::Md, Self::Json, Self::Csv];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Html => "html",
            Self::Md => "md",
            Self::Json => "json",
            Self::Csv => "csv",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// The `Content-Type` of a download in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Html => "text/html; charset=utf-8",
            Self::Md => "text/markdown; charset=utf-8",
            Self::Json => "application/json",
            Self::Csv => "text/csv; charset=utf-8",
        }
    }
}

/// Why an export could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("rendering {format} failed: {detail}")]
    Render {
        format: &'static str,
        detail: String,
    },
    #[error("the board's stored state cannot be read: {0}")]
    Unreadable(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

impl ExportError {
    /// A CSV that could not be written.
    pub fn csv(detail: String) -> Self {
        ExportError::Render {
            format: "csv",
            detail,
        }
    }
}

/// Renders the plan in `format`.
pub fn render(plan: &Plan, format: Format) -> Result<Vec<u8>, ExportError> {
    let fail = |detail: String| ExportError::Render {
        format: format.as_str(),
        detail,
    };
    match format {
        Format::Json => serde_json::to_vec_pretty(plan).map_err(|e| fail(e.to_string())),
        Format::Md => Ok(markdown::render(plan).into_bytes()),
        Format::Csv => csv::render(plan).map_err(fail),
        Format::Html => html::render(plan).map(String::into_bytes).map_err(fail),
        Format::Pdf => pdf::render(plan).map_err(fail),
    }
}

/// Reads a board's document (a full-state update, or the stored snapshot and log) into
/// the export model.
pub fn plan_from_updates<'a>(
    board_id: &str,
    updates: impl IntoIterator<Item = &'a [u8]>,
    scope: Scope,
    source: &str,
    taken_at: f64,
) -> Result<Plan, ExportError> {
    use yrs::updates::decoder::Decode;
    use yrs::{Doc, Transact, Update};
    let doc = Doc::new();
    let board = coboard_shared::schema::Board::new(&doc);
    {
        let mut txn = doc.transact_mut();
        for bytes in updates {
            let update =
                Update::decode_v1(bytes).map_err(|e| ExportError::Unreadable(e.to_string()))?;
            txn.apply_update(update)
                .map_err(|e| ExportError::Unreadable(e.to_string()))?;
        }
    }
    let txn = doc.transact();
    Ok(Plan::build_at(
        &board,
        &txn,
        scope,
        Source {
            board_id: board_id.to_owned(),
            snapshot: source.to_owned(),
            taken_at,
        },
        crate::now_ms() as f64,
    ))
}

/// Exports a board straight from the store (the `coboard export` command).
pub async fn from_store(
    store: &dyn crate::store::Store,
    board_id: &str,
    scope: Scope,
    format: Format,
) -> Result<(Plan, Vec<u8>), ExportError> {
    store.board_info(board_id).await?;
    let stored = store.load(board_id).await?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as f64)
        .unwrap_or(0.0);
    let updates = stored
        .snapshot
        .iter()
        .chain(stored.updates.iter())
        .map(Vec::as_slice);
    let plan = plan_from_updates(board_id, updates, scope, "live", now)?;
    let bytes = render(&plan, format)?;
    Ok((plan, bytes))
}

/// A download's file name: the title in safe characters, then the extension.
pub fn file_name(plan: &Plan, format: Format) -> String {
    let stem: String = plan
        .title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let stem = if stem.is_empty() {
        "coboard-plan".to_owned()
    } else {
        stem
    };
    format!("{}.{}", &stem[..stem.len().min(60)], format.as_str())
}

/// A time (ms since the Unix epoch) as people read it: "3 March 2026, 14:05 UTC".
pub(crate) fn when(ms: f64) -> String {
    jiff::Timestamp::from_millisecond(ms as i64)
        .map(|t| t.strftime("%-d %B %Y, %H:%M UTC").to_string())
        .unwrap_or_default()
}

/// Just the date: "3 March 2026".
pub(crate) fn date(ms: f64) -> String {
    jiff::Timestamp::from_millisecond(ms as i64)
        .map(|t| t.strftime("%-d %B %Y").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
