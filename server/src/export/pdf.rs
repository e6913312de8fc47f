//! PDF, typeset by Typst used as a library (`templates/plan.typ`), with DejaVu Sans (and
//! Symbola for emoji) embedded so the document looks the same everywhere and covers Latin, Greek, Cyrillic,
//! Hebrew and Arabic. Typst writes tagged PDF (headings, lists and tables marked up for
//! screen readers) and lays out right-to-left text by the Unicode bidirectional rules.
//!
//! The plan reaches the template as JSON data, never as Typst source, so nothing a person
//! typed can act as markup or code.

use std::sync::LazyLock;

use coboard_shared::export::{Plan, Scope};
use serde_json::Value;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::layout::PagedDocument;
use typst::syntax::{FileId, Source, VirtualPath};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::{date, when};

const TEMPLATE: &str = include_str!("../../templates/plan.typ");
/// DejaVu Sans for text; Symbola (monochrome) for emoji and symbols DejaVu lacks.
const FONTS: [&[u8]; 3] = [
    include_bytes!("../../assets/fonts/DejaVuSans.ttf"),
    include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf"),
    include_bytes!("../../assets/fonts/Symbola.ttf"),
];
/// Exports a cached layout may go unused for before Typst drops it.
const EVICT_AFTER: usize = 10;
/// Words longer than this get invisible break opportunities, so a long word wraps
/// instead of running off the page.
const LONGEST_UNBROKEN: usize = 24;

/// What every export shares: the standard library and the fonts, loaded once.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONTS
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect();
    Shared {
        library: LazyHash::new(Library::builder().build()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

/// One export's world: the template, the plan and its preformatted labels.
struct PlanWorld {
    main: Source,
    plan: Bytes,
    meta: Bytes,
}

fn id(path: &str) -> FileId {
    FileId::new(None, VirtualPath::new(path))
}

impl World for PlanWorld {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotFound(id.vpath().as_rootless_path().into()))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        match id.vpath().as_rootless_path().to_str() {
            Some("plan.json") => Ok(self.plan.clone()),
            Some("meta.json") => Ok(self.meta.clone()),
            _ => Err(FileError::NotFound(id.vpath().as_rootless_path().into())),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<i64>) -> Option<Datetime> {
        None
    }
}

/// Puts a zero-width space into every run of more than [`LONGEST_UNBROKEN`] characters
/// without a space, so Typst can break it.
fn breakable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run = 0;
    for c in s.chars() {
        if c.is_whitespace() {
            run = 0;
        } else {
            run += 1;
            if run > LONGEST_UNBROKEN {
                out.push('\u{200B}');
                run = 1;
            }
        }
        out.push(c);
    }
    out
}

fn make_breakable(v: &mut Value) {
    match v {
        Value::String(s) => *s = breakable(s),
        Value::Array(a) => a.iter_mut().for_each(make_breakable),
        Value::Object(o) => o.values_mut().for_each(make_breakable),
        _ => {}
    }
}

pub fn render(plan: &Plan) -> Result<Vec<u8>, String> {
    let mut data = serde_json::to_value(plan).map_err(|e| e.to_string())?;
    make_breakable(&mut data);
    let meta = serde_json::json!({
        "scope": match plan.scope {
            Scope::Agreed => "What the group agreed",
            Scope::All => "Everything on the board, with its status",
        },
        "source": if plan.source.snapshot == "live" { "the live board".to_owned() } else { format!("snapshot “{}”", plan.source.snapshot) },
        "taken": date(plan.source.taken_at),
        "decided": plan.decisions.iter().map(|d| when(d.at)).collect::<Vec<_>>(),
    });
    let world = PlanWorld {
        main: Source::new(id("main.typ"), TEMPLATE.to_owned()),
        plan: Bytes::new(serde_json::to_vec(&data).map_err(|e| e.to_string())?),
        meta: Bytes::new(serde_json::to_vec(&meta).map_err(|e| e.to_string())?),
    };
    let document: PagedDocument = typst::compile(&world)
        .output
        .map_err(|errors| describe(&errors))?;
    let pdf = typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default())
        .map_err(|errors| describe(&errors));
    // Typst memoises layout in a process-wide cache; without eviction every distinct
    // export would stay in memory for the life of the server.
    typst::comemo::evict(EVICT_AFTER);
    pdf
}

fn describe(errors: &[typst::diag::SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| e.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}
