//! Rendering the export model ([`coboard_shared::export::Plan`]) in every format people
//! take a plan away in: PDF for funders and committees, HTML that also opens in Word and
//! LibreOffice, Markdown, JSON for other tools, and CSV of the priorities for a spreadsheet.
//!
//! Every renderer takes the same model, so the formats agree; none of them reads the board.

mod csv;
pub mod fixture;
mod html;
mod markdown;

use coboard_shared::export::Plan;

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
        Format::Pdf => Err(fail("PDF export is not built yet".into())),
    }
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
