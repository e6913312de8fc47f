//! What people take away: the plan in five formats (from the live board or a snapshot),
//! the impact log, and the evidence for the UK Standards for Public Involvement.

use coboard_shared::export::Scope;
use coboard_shared::schema::Board;
use coboard_shared::standards::{self, Evidence, LedgerFacts};
use coboard_shared::{impact, ledger::Totals};
use yrs::Transact;

use super::ledger::Ledger;
use super::snapshots::{Snapshots, doc_of};
use super::{Core, ServiceError};
use crate::export::{self, Format};
use crate::now_ms;

/// Exports rendered at the same time, server-wide. Typesetting a PDF takes real CPU time
/// (about 0.7 s for 1,000 items): it runs off the async workers, and at most two at once,
/// so exports cannot starve the machine.
static RENDER_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// A file to hand over: its bytes, media type and name.
pub struct Download {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub file_name: String,
}

/// The impact log's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImpactFormat {
    Csv,
    Markdown,
    /// The draft GRIPP2 short-form report, in Markdown.
    Gripp2,
}

impl ImpactFormat {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "csv" => Some(Self::Csv),
            "md" => Some(Self::Markdown),
            "gripp2" => Some(Self::Gripp2),
            _ => None,
        }
    }
}

/// Exports of a board.
#[derive(Clone)]
pub struct Exports {
    snapshots: Snapshots,
    ledger: Ledger,
}

impl Exports {
    pub fn new(core: Core) -> Self {
        Self {
            snapshots: Snapshots::new(core.clone()),
            ledger: Ledger::new(core),
        }
    }

    /// The plan (what was agreed, or everything) from the live board or a snapshot.
    pub async fn plan(
        &self,
        board: &str,
        format: Format,
        scope: Scope,
        snapshot: Option<&str>,
    ) -> Result<Download, ServiceError> {
        let source = self.snapshots.source(board, snapshot).await?;
        let _slot = RENDER_SLOTS
            .acquire()
            .await
            .expect("the render semaphore is never closed");
        let id = board.to_owned();
        let (plan, bytes) = tokio::task::spawn_blocking(move || {
            let plan = export::plan_from_updates(
                &id,
                [source.state.as_slice()],
                scope,
                &source.name,
                source.taken_at,
            )?;
            let bytes = export::render(&plan, format)?;
            Ok::<_, export::ExportError>((plan, bytes))
        })
        .await??;
        Ok(Download {
            bytes,
            content_type: format.content_type(),
            file_name: export::file_name(&plan, format),
        })
    }

    /// "You said, we did": the impact log of the live board.
    pub async fn impact(
        &self,
        board: &str,
        format: ImpactFormat,
    ) -> Result<Download, ServiceError> {
        self.read_live(board, move |board, txn, now| {
            let title = board.title(txn).unwrap_or_default();
            let log = impact::impact_log(board, txn, now);
            let markdown = |text: String, name: &str| Download {
                bytes: text.into_bytes(),
                content_type: "text/markdown; charset=utf-8",
                file_name: name.to_owned(),
            };
            Ok(match format {
                ImpactFormat::Csv => Download {
                    bytes: export::impact::csv(&log)?,
                    content_type: "text/csv; charset=utf-8",
                    file_name: "impact.csv".into(),
                },
                ImpactFormat::Gripp2 => markdown(
                    export::impact::gripp2(&impact::Gripp2::build(board, txn, now)),
                    "impact.md",
                ),
                ImpactFormat::Markdown => {
                    markdown(export::impact::markdown(&title, &log), "impact.md")
                }
            })
        })
        .await
    }

    /// Evidence for each of the six UK Standards, and the board's title. Amounts paid
    /// are included only when `amounts` (a facilitator asks).
    pub async fn standards(
        &self,
        board: &str,
        amounts: bool,
    ) -> Result<(String, Vec<Evidence>), ServiceError> {
        let rows = self.ledger.rows(board).await?;
        let totals = Totals::of(&rows);
        let mut people: Vec<&str> = rows.iter().map(|r| r.person.as_str()).collect();
        people.sort_unstable();
        people.dedup();
        let facts = LedgerFacts {
            rows: rows.len(),
            people: people.len(),
            amounts: amounts.then_some((totals.payable_pence, totals.expenses_pence)),
        };
        self.read_live(board, move |board, txn, now| {
            Ok((
                board.title(txn).unwrap_or_default(),
                standards::gather(board, txn, now, &facts),
            ))
        })
        .await
    }

    /// Reads the live board (once everything applied is durable) on a blocking thread:
    /// `read` gets the board, a transaction and the time it was taken.
    async fn read_live<T: Send + 'static>(
        &self,
        board: &str,
        read: impl FnOnce(&Board, &yrs::Transaction, f64) -> Result<T, ServiceError> + Send + 'static,
    ) -> Result<T, ServiceError> {
        let state = self.snapshots.live_state(board).await?;
        let now = now_ms() as f64;
        tokio::task::spawn_blocking(move || {
            let doc = doc_of(&state)?;
            let board = Board::new(&doc);
            let txn = doc.transact();
            read(&board, &txn, now)
        })
        .await?
    }

    /// The same evidence as a Markdown file.
    pub async fn standards_markdown(
        &self,
        board: &str,
        amounts: bool,
    ) -> Result<Download, ServiceError> {
        let (title, evidence) = self.standards(board, amounts).await?;
        Ok(Download {
            bytes: export::standards::markdown(&title, &evidence).into_bytes(),
            content_type: "text/markdown; charset=utf-8",
            file_name: "standards-evidence.md".into(),
        })
    }
}
