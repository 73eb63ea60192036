//! The import dialog, for events or an ad spend report (a switch at the
//! top; a known report's header switches it): a preview of the chosen CSV
//! with how it is written (encoding, delimiter, decimal mark, lines before
//! the header: detected, changeable), or of a spreadsheet's sheet (with a
//! sheet picker), the column mapping (pre-filled with guesses, or from a
//! preset of a known export recognised by its header), for a file of one
//! row per person the stage date columns and the events they make, the
//! time zone and options, then the import itself with a progress bar, rows
//! per second and a cancel button, and finally a summary of what was
//! imported and what was not.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use eframe::egui::{self, RichText};

use super::super::theme;
use super::{count, plural};
use crate::store::{
    self, ColumnMapping, DELIMITERS, DialectChoice, Encoding, ImportOptions, ImportSummary, PRESETS, Preset,
    PresetKind, Preview, Progress, Role, SpendMapping, SpendRole, StageDates, StoreError, Zone, delimiter_name,
};

/// Rows of the file shown in the preview.
pub(super) const PREVIEW_ROWS: usize = 12;
/// Rejections listed in the summary (all are kept in the database).
const REJECTIONS_SHOWN: usize = 10;
/// Preview cells longer than this are cut.
const CELL_CHARS: usize = 40;
/// The most lines before the header the picker offers.
const MAX_SKIP: u64 = 20;

/// What the file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Events,
    Spend,
}

impl Kind {
    fn takes(self, preset: &Preset) -> bool {
        (preset.kind == PresetKind::Spend) == (self == Kind::Spend)
    }
}

/// An import as the dialog set it up: events, or with `spend` an ad spend
/// report read by that mapping.
pub(super) struct Request {
    pub options: ImportOptions,
    pub spend: Option<SpendMapping>,
}

/// What the buttons below the form can do.
enum Buttons {
    /// The file cannot be read: choose another or cancel.
    Unreadable,
    /// Import starts this, or is greyed out while the form lacks something.
    Import(Option<Box<Request>>),
}

/// The buttons below the form, kept in view while the form scrolls.
fn buttons_ui(ui: &mut egui::Ui, buttons: Buttons) -> Action {
    let mut action = Action::None;
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        if let Buttons::Import(start) = buttons {
            let import = egui::Button::new(RichText::new("Import").strong());
            if ui.add_enabled(start.is_some(), import).clicked()
                && let Some(start) = start
            {
                action = Action::Start(start);
            }
        }
        if ui.button("Choose another file…").clicked() {
            action = Action::ChooseFile;
        }
        if ui.button("Cancel").clicked() {
            action = Action::Close;
        }
    });
    action
}

pub(super) struct ImportDialog {
    path: PathBuf,
    preview: Result<Preview, String>,
    /// What the user forced of the dialect; the rest is detected.
    choice: DialectChoice,
    kind: Kind,
    /// The column chosen for each of `SpendRole::ALL`, as `columns`.
    spend: [String; SpendRole::ALL.len()],
    /// The channel of every row of a report without a channel column.
    fixed_channel: String,
    /// The column chosen for each of `Role::ALL`; empty: none (optional
    /// roles) or not chosen yet (required ones).
    columns: [String; 6],
    /// The name of the preset the columns come from, and of the one the
    /// header suggested.
    preset: Option<&'static str>,
    suggested: Option<&'static str>,
    /// Why the chosen preset does not fit the file.
    preset_problem: Option<String>,
    /// A workbook's sheets (empty for a CSV file) and the one shown.
    sheets: Vec<String>,
    sheet: String,
    /// Stage date columns found in a one-row-per-person file.
    stages: Option<StageForm>,
    zone: String,
    strict: bool,
    replace: bool,
    state: State,
}

/// The stage date mapping offered for a contacts-like file.
struct StageForm {
    /// Unpivot: one event per filled date cell.
    on: bool,
    /// (date column, used, event name).
    columns: Vec<(String, bool, String)>,
}

impl StageForm {
    fn stage_dates(&self) -> Option<StageDates> {
        let pairs: Vec<(String, String)> = self
            .columns
            .iter()
            .filter(|(_, used, event)| *used && !event.trim().is_empty())
            .map(|(c, _, e)| (c.clone(), e.trim().to_owned()))
            .collect();
        (self.on && !pairs.is_empty()).then_some(StageDates(pairs))
    }
}

enum State {
    Form { failure: Option<Failure> },
    Running(Running),
    Done(Box<ImportSummary>),
}

pub(super) struct Running {
    pub job: u64,
    cancel: Arc<AtomicBool>,
    started: Instant,
    progress: Progress,
}

impl Running {
    /// Asks the import to stop; it rolls back.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// Why an import did not happen, said for the dialog.
struct Failure {
    message: String,
    /// What to do about it.
    hint: Option<String>,
    /// The file changed since it was imported: offer to replace the earlier
    /// import or keep both.
    ask_replace_or_append: bool,
}

/// What the user asked the panel to do.
pub(super) enum Action {
    None,
    Close,
    ChooseFile,
    Start(Box<Request>),
}

impl ImportDialog {
    pub fn open(path: PathBuf) -> ImportDialog {
        let mut dialog = ImportDialog {
            path,
            preview: Err(String::new()),
            choice: DialectChoice::default(),
            kind: Kind::Events,
            spend: Default::default(),
            fixed_channel: String::new(),
            columns: Default::default(),
            preset: None,
            suggested: None,
            preset_problem: None,
            sheets: Vec::new(),
            sheet: String::new(),
            stages: None,
            zone: "UTC".to_owned(),
            strict: false,
            replace: false,
            state: State::Form { failure: None },
        };
        dialog.load(None);
        dialog
    }

    /// Reads the preview (of `sheet`, for a workbook) and guesses the mapping again.
    fn load(&mut self, sheet: Option<&str>) {
        self.preview = self.read(sheet);
        self.guess();
    }

    /// The preview of `sheet` of a workbook, or of a CSV file in the chosen
    /// dialect.
    fn read(&mut self, sheet: Option<&str>) -> Result<Preview, String> {
        if store::is_spreadsheet(&self.path) {
            store::preview_sheet(&self.path, sheet, PREVIEW_ROWS, self.choice.skip_lines)
                .map(|p| {
                    self.sheets = p.sheets;
                    self.sheet = p.sheet;
                    p.preview
                })
                .map_err(|e| e.to_string())
        } else {
            store::preview(&self.path, PREVIEW_ROWS, &self.choice).map_err(|e| preview_problem(&e))
        }
    }

    /// The preset suggested by the header (a spend report's switches the
    /// dialog to ad spend), and the mapping it gives.
    fn guess(&mut self) {
        let header = self.preview.as_ref().map(|p| p.header.as_slice()).unwrap_or_default();
        let suggested = store::suggest_preset(header);
        if let Some(p) = suggested {
            self.kind = if p.kind == PresetKind::Spend {
                Kind::Spend
            } else {
                Kind::Events
            };
        }
        self.suggested = suggested.map(|p| p.name);
        self.preset = self.suggested;
        self.fill();
    }

    /// Switches between events and ad spend; the preset suggested for the
    /// other kind of file is dropped.
    fn set_kind(&mut self, kind: Kind) {
        if kind == self.kind {
            return;
        }
        self.kind = kind;
        let fits = |name: Option<&str>| {
            name.and_then(|n| PRESETS.iter().find(|p| p.name == n))
                .is_some_and(|p| kind.takes(p))
        };
        self.preset = if fits(self.suggested) { self.suggested } else { None };
        self.fill();
    }

    /// The mapping (and stage dates) of the chosen preset, else guessed
    /// from the preview.
    fn fill(&mut self) {
        self.guess_columns();
        self.preset_problem = None;
        let (Some(name), Ok(p)) = (self.preset, &self.preview) else {
            return;
        };
        let Some(preset) = PRESETS.iter().find(|p| p.name == name) else {
            return;
        };
        if preset.kind == PresetKind::Spend {
            match preset.spend_mapping(&p.header, &self.path) {
                Ok(m) => {
                    self.spend = SpendRole::ALL.map(|role| {
                        let c = m.get(role).unwrap_or_default();
                        if p.header.iter().any(|h| h == c) {
                            c.to_owned()
                        } else {
                            String::new()
                        }
                    });
                    self.fixed_channel = m.fixed_channel.unwrap_or_default();
                }
                Err(err) => self.preset_problem = Some(err.to_string()),
            }
            return;
        }
        // A column the file lacks is left for the user to choose.
        let column = |m: &ColumnMapping, role| {
            let c = m.get(role).unwrap_or_default();
            if p.header.iter().any(|h| h == c) {
                c.to_owned()
            } else {
                String::new()
            }
        };
        let mut stages = None;
        let mapped = if preset.kind == PresetKind::StageDates {
            preset.stage_mapping(&p.header, &self.path).map(|(m, dates)| {
                stages = Some(StageForm {
                    on: true,
                    columns: dates.0.into_iter().map(|(c, e)| (c, true, e)).collect(),
                });
                m
            })
        } else {
            preset.event_mapping(&p.header, &self.path)
        };
        match mapped {
            Ok(m) => {
                self.columns = Role::ALL.map(|role| column(&m, role));
                self.stages = stages;
            }
            Err(err) => self.preset_problem = Some(err.to_string()),
        }
    }

    /// The mapping (and stage dates) guessed from the preview.
    fn guess_columns(&mut self) {
        self.stages = None;
        self.columns = Default::default();
        self.spend = Default::default();
        self.fixed_channel.clear();
        if let Ok(p) = &self.preview {
            let spend = store::guess_spend_mapping(&p.header);
            self.spend = SpendRole::ALL.map(|role| spend.get(role).unwrap_or_default().to_owned());
        }
        if self.kind == Kind::Spend {
            return;
        }
        if let Ok(p) = &self.preview {
            self.columns = Role::ALL.map(|role| p.guessed.get(role).unwrap_or_default().to_owned());
            if let Some(guess) = store::guess_stage_dates(&p.header, &p.rows) {
                self.columns[0] = guess.person;
                // The dates are the times and their columns' names the events.
                self.columns[1].clear();
                self.columns[2].clear();
                self.stages = Some(StageForm {
                    on: true,
                    columns: guess.stages.0.into_iter().map(|(c, e)| (c, true, e)).collect(),
                });
            }
        }
    }

    fn unpivot(&self) -> bool {
        self.stages.as_ref().is_some_and(|s| s.on)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The import that is running, if one is.
    pub fn running(&self) -> Option<&Running> {
        match &self.state {
            State::Running(r) => Some(r),
            _ => None,
        }
    }

    pub fn started(&mut self, job: u64, cancel: Arc<AtomicBool>) {
        self.state = State::Running(Running {
            job,
            cancel,
            started: Instant::now(),
            progress: Progress::default(),
        });
    }

    pub fn progress(&mut self, job: u64, progress: Progress) {
        if let State::Running(r) = &mut self.state
            && r.job == job
        {
            r.progress = progress;
        }
    }

    /// The import `job` ended.
    pub fn finished(&mut self, job: u64, result: Result<ImportSummary, StoreError>) {
        if self.running().is_none_or(|r| r.job != job) {
            return;
        }
        self.state = match result {
            Ok(summary) => State::Done(Box::new(summary)),
            Err(err) => State::Form {
                failure: Some(failure(&err)),
            },
        };
    }

    /// Reads the preview again after the dialect was changed; the columns
    /// are guessed again when the header reads differently.
    fn reload(&mut self) {
        let sheet = (!self.sheet.is_empty()).then(|| self.sheet.clone());
        let preview = self.read(sheet.as_deref());
        let header = |p: &Result<Preview, String>| p.as_ref().ok().map(|p| p.header.clone());
        let changed = header(&preview) != header(&self.preview);
        self.preview = preview;
        if changed {
            self.guess();
        }
    }

    /// The encoding, delimiter and decimal mark pickers, each showing what
    /// was detected until it is changed.
    fn dialect_ui(&mut self, ui: &mut egui::Ui) {
        let detected = self.preview.as_ref().ok().map(|p| p.dialect);
        let shown = |forced: bool, text: String| if forced { text } else { format!("{text} (detected)") };
        let mut choice = self.choice;
        ui.horizontal_wrapped(|ui| {
            ui.label("Encoding");
            let text = match (choice.encoding, detected) {
                (Some(e), _) => e.name().to_owned(),
                (None, Some(d)) => shown(false, d.encoding.name().to_owned()),
                (None, None) => "detect".to_owned(),
            };
            let r = egui::ComboBox::from_id_salt("import-encoding")
                .selected_text(&text)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut choice.encoding, None, "detect");
                    for e in Encoding::ALL {
                        ui.selectable_value(&mut choice.encoding, Some(e), e.name());
                    }
                })
                .response;
            labelled_combo(&r, "Encoding", &text);
            ui.add_space(8.0);
            ui.label("Delimiter");
            let text = match (choice.delimiter, detected) {
                (Some(d), _) => delimiter_name(d),
                (None, Some(d)) => shown(false, delimiter_name(d.delimiter)),
                (None, None) => "detect".to_owned(),
            };
            let r = egui::ComboBox::from_id_salt("import-delimiter")
                .selected_text(&text)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut choice.delimiter, None, "detect");
                    for d in DELIMITERS {
                        ui.selectable_value(&mut choice.delimiter, Some(d), delimiter_name(d));
                    }
                })
                .response;
            labelled_combo(&r, "Delimiter", &text);
            ui.add_space(8.0);
            ui.label("Decimal mark");
            let mark = |comma: bool| if comma { "comma (12,50)" } else { "point (12.50)" };
            let text = match (choice.decimal_comma, detected) {
                (Some(c), _) => mark(c).to_owned(),
                (None, Some(d)) => shown(false, mark(d.decimal_comma).to_owned()),
                (None, None) => "detect".to_owned(),
            };
            let r = egui::ComboBox::from_id_salt("import-decimal")
                .selected_text(&text)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut choice.decimal_comma, None, "detect");
                    ui.selectable_value(&mut choice.decimal_comma, Some(true), mark(true));
                    ui.selectable_value(&mut choice.decimal_comma, Some(false), mark(false));
                })
                .response;
            labelled_combo(&r, "Decimal mark", &text);
        });
        if let Some(d) = detected {
            ui.label(RichText::new(format!("Read as {}", d.describe())).color(theme::MUTED));
        }
        if choice != self.choice {
            self.choice = choice;
            self.reload();
        }
    }

    /// How many lines (sheet rows) come before the header: detected (a
    /// report's title), or chosen; the preview reads the file again.
    fn skip_ui(&mut self, ui: &mut egui::Ui) {
        let detected = self.preview.as_ref().ok().map(|p| p.skipped_lines);
        let name = if self.sheets.is_empty() {
            "Lines before the header"
        } else {
            "Rows before the header"
        };
        let mut skip = self.choice.skip_lines;
        ui.horizontal(|ui| {
            ui.label(name);
            let text = match (skip, detected) {
                (Some(n), _) => n.to_string(),
                (None, Some(n)) => format!("{n} (detected)"),
                (None, None) => "detect".to_owned(),
            };
            let r = egui::ComboBox::from_id_salt("import-skip")
                .selected_text(&text)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut skip, None, "detect");
                    for n in 0..=MAX_SKIP {
                        ui.selectable_value(&mut skip, Some(n), n.to_string());
                    }
                })
                .response;
            labelled_combo(&r, name, &text);
            if detected.is_some_and(|n| n > 0) {
                ui.label(RichText::new("a title above the header is left out").color(theme::MUTED));
            }
        });
        if skip != self.choice.skip_lines {
            self.choice.skip_lines = skip;
            self.reload();
        }
    }

    /// Events or an ad spend report.
    fn kind_ui(&mut self, ui: &mut egui::Ui) {
        let mut kind = self.kind;
        ui.horizontal(|ui| {
            ui.label("The file holds");
            ui.selectable_value(&mut kind, Kind::Events, "Events")
                .on_hover_text("One row per event: who, when, what");
            ui.selectable_value(&mut kind, Kind::Spend, "Ad spend")
                .on_hover_text("A daily report of what each channel or campaign spent (Google Ads, Meta Ads)");
        });
        self.set_kind(kind);
    }

    /// The preset picker: the presets for this kind of file, the one the
    /// header suggested marked; choosing one fills the columns.
    fn preset_ui(&mut self, ui: &mut egui::Ui) {
        let mut chosen = self.preset;
        ui.horizontal(|ui| {
            ui.label("Preset");
            let text = chosen.unwrap_or("(none)");
            let r = egui::ComboBox::from_id_salt("import-preset")
                .selected_text(text)
                .width(240.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut chosen, None, "(none)");
                    for p in PRESETS.iter().filter(|p| self.kind.takes(p)) {
                        ui.selectable_value(&mut chosen, Some(p.name), p.name)
                            .on_hover_text(p.title);
                    }
                })
                .response;
            labelled_combo(&r, "Preset", text);
            if chosen.is_some() && chosen == self.suggested {
                ui.label(RichText::new("(suggested)").color(theme::MUTED));
            }
        });
        if let Some(problem) = &self.preset_problem {
            ui.colored_label(theme::PAIN, problem);
        }
        if chosen != self.preset {
            self.preset = chosen;
            self.fill();
        }
    }

    fn spend_mapping(&self) -> SpendMapping {
        let mut mapping = SpendMapping::default();
        for (role, column) in SpendRole::ALL.into_iter().zip(&self.spend) {
            mapping.set(role, Some(column.clone()));
        }
        let channel = self.fixed_channel.trim();
        mapping.fixed_channel = (!channel.is_empty()).then(|| channel.to_owned());
        mapping
    }

    fn mapping(&self) -> ColumnMapping {
        let mut mapping = ColumnMapping::default();
        for (role, column) in Role::ALL.into_iter().zip(&self.columns) {
            mapping.set(role, Some(column.clone()));
        }
        mapping
    }

    /// Draws the dialog; returns what the user asked for. The form scrolls
    /// when the window is short; its buttons stay in view below it.
    pub fn show(&mut self, ctx: &egui::Context, db: &Path) -> Action {
        let mut action = Action::None;
        let mut buttons = None;
        let modal = egui::Modal::new(egui::Id::unique("import-events")).show(ctx, |ui| {
            ui.set_width(760.0_f32.min(ctx.content_rect().width() - 60.0));
            let pinned = match self.state {
                State::Form { .. } => ui.spacing().interact_size.y + 3.0 * ui.spacing().item_spacing.y + 8.0,
                _ => 0.0,
            };
            let max_height = (ctx.content_rect().height() - 80.0 - pinned).max(160.0);
            egui::ScrollArea::vertical()
                .max_height(max_height)
                .min_scrolled_height(max_height)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    let title = match self.kind {
                        Kind::Events => "Import events",
                        Kind::Spend => "Import ad spend",
                    };
                    ui.label(RichText::new(title).heading().strong());
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new("File").color(theme::MUTED));
                        ui.label(self.path.display().to_string());
                    });
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new("Into").color(theme::MUTED));
                        ui.label(db.display().to_string());
                    });
                    match &self.state {
                        State::Running(_) => self.running_ui(ui),
                        State::Done(_) => {
                            if self.done_ui(ui) {
                                action = Action::Close;
                            }
                        }
                        State::Form { .. } => {
                            let mut form = Buttons::Unreadable;
                            action = self.form_ui(ui, &mut form);
                            buttons = Some(form);
                        }
                    }
                });
            if let Some(buttons) = buttons.take() {
                ui.separator();
                let clicked = buttons_ui(ui, buttons);
                if !matches!(clicked, Action::None) {
                    action = clicked;
                }
            }
        });
        // Escape or a click beside the dialog closes it, except while an
        // import runs (Cancel stops that).
        if modal.should_close() && self.running().is_none() {
            action = Action::Close;
        }
        action
    }

    /// The form; `buttons` gets what the buttons below it can do.
    fn form_ui(&mut self, ui: &mut egui::Ui, buttons: &mut Buttons) -> Action {
        *buttons = Buttons::Import(None);
        self.kind_ui(ui);
        if !self.sheets.is_empty() {
            let mut chosen = self.sheet.clone();
            ui.horizontal(|ui| {
                ui.label("Sheet");
                let response = egui::ComboBox::from_id_salt("import-sheet")
                    .selected_text(&chosen)
                    .width(240.0)
                    .show_ui(ui, |ui| {
                        for sheet in &self.sheets {
                            ui.selectable_value(&mut chosen, sheet.clone(), sheet);
                        }
                    })
                    .response;
                response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Sheet"));
            });
            if chosen != self.sheet {
                self.load(Some(&chosen));
                return Action::None;
            }
        } else if !store::is_spreadsheet(&self.path) {
            // A spreadsheet's cells are values, not text with a dialect.
            ui.add_space(6.0);
            self.dialect_ui(ui);
        }
        self.skip_ui(ui);
        let preview = match &self.preview {
            Ok(p) => p,
            Err(err) => {
                ui.add_space(6.0);
                ui.colored_label(theme::PAIN, format!("Cannot read the file: {err}"));
                *buttons = Buttons::Unreadable;
                return Action::None;
            }
        };
        if let Some(warning) = &preview.warning {
            ui.colored_label(theme::PAIN, warning);
        }
        ui.add_space(6.0);
        ui.label(RichText::new(format!("First {} rows", preview.rows.len())).strong());
        let unused = match self.kind {
            Kind::Events => "property",
            Kind::Spend => "not used",
        };
        preview_grid(ui, preview, &self.tags(), unused);

        ui.add_space(8.0);
        ui.label(RichText::new("Columns").strong());
        let help = match self.kind {
            Kind::Events => {
                "Which column holds what. Person, time and event are needed; \
                 columns not used here are kept as properties."
            }
            Kind::Spend => {
                "Which column holds what. Day and cost are needed; a report of one platform \
                 without a channel column names the channel of all its rows."
            }
        };
        ui.label(RichText::new(help).color(theme::MUTED));
        self.preset_ui(ui);
        let Ok(preview) = &self.preview else {
            return Action::None;
        };
        if self.kind == Kind::Spend {
            return self.spend_form_ui(ui, preview.header.clone(), buttons);
        }
        egui::Grid::new("import-columns")
            .num_columns(4)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                let unpivot = self.stages.as_ref().is_some_and(|s| s.on);
                let shown = Role::ALL
                    .into_iter()
                    .enumerate()
                    .filter(|(_, role)| !(unpivot && matches!(role, Role::Time | Role::Event)));
                for (n, (i, role)) in shown.enumerate() {
                    column_combo(ui, role, &preview.header, &mut self.columns[i]);
                    if n % 2 == 1 {
                        ui.end_row();
                    }
                }
            });
        if let Some(stages) = &mut self.stages {
            stage_form(ui, stages);
        }
        let missing: Vec<&str> = Role::ALL
            .into_iter()
            .zip(&self.columns)
            .filter(|(role, column)| {
                role.required() && column.is_empty() && !(self.unpivot() && matches!(role, Role::Time | Role::Event))
            })
            .map(|(role, _)| role.describe())
            .collect();
        let stage_dates = self.stages.as_ref().and_then(StageForm::stage_dates);
        let no_stages = self.unpivot() && stage_dates.is_none();
        if no_stages {
            ui.colored_label(theme::PAIN, "Choose at least one date column and name its event.");
        }
        self.options_ui(ui, missing, no_stages, stage_dates, buttons)
    }

    /// The columns of an ad spend report, and the channel of all its rows
    /// when it has no channel column.
    fn spend_form_ui(&mut self, ui: &mut egui::Ui, header: Vec<String>, buttons: &mut Buttons) -> Action {
        egui::Grid::new("import-spend-columns")
            .num_columns(4)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                for (i, role) in SpendRole::ALL.into_iter().enumerate() {
                    let required = matches!(role, SpendRole::Day | SpendRole::Cost);
                    pick_column(ui, spend_title(role), required, &header, &mut self.spend[i]);
                    if i % 2 == 1 {
                        ui.end_row();
                    }
                }
            });
        if self.spend[1].is_empty() {
            ui.horizontal(|ui| {
                let label = ui.label("Channel of every row");
                ui.add(
                    egui::TextEdit::singleline(&mut self.fixed_channel)
                        .desired_width(180.0)
                        .hint_text("google, facebook, linkedin"),
                )
                .labelled_by(label.id)
                .on_hover_text("The report has no channel column: all its spend is this channel's");
            });
        }
        let mut missing: Vec<&str> = SpendRole::ALL
            .into_iter()
            .zip(&self.spend)
            .filter(|(role, column)| matches!(role, SpendRole::Day | SpendRole::Cost) && column.is_empty())
            .map(|(role, _)| role.key())
            .collect();
        if self.spend[1].is_empty() && self.fixed_channel.trim().is_empty() {
            missing.push("channel (or name the channel of every row)");
        }
        self.options_ui(ui, missing, false, None, buttons)
    }

    /// What each column of the preview is used for.
    fn tags(&self) -> Vec<(String, String)> {
        match self.kind {
            Kind::Events => {
                let unpivot = self.unpivot();
                let mut tags: Vec<(String, String)> = Role::ALL
                    .into_iter()
                    .zip(&self.columns)
                    .filter(|(role, c)| {
                        // Stage dates stand for the time and event columns.
                        let replaced = unpivot && matches!(role, Role::Time | Role::Event);
                        !c.is_empty() && !replaced
                    })
                    .map(|(role, c)| (c.clone(), role_title(role).to_owned()))
                    .collect();
                // A ticked stage date column becomes events of its name.
                if let Some(stages) = self.stages.as_ref().filter(|_| unpivot) {
                    for (column, used, event) in &stages.columns {
                        if *used && !event.trim().is_empty() {
                            tags.push((column.clone(), format!("→ event \"{}\"", event.trim())));
                        }
                    }
                }
                tags
            }
            Kind::Spend => SpendRole::ALL
                .into_iter()
                .zip(&self.spend)
                .filter(|(_, c)| !c.is_empty())
                .map(|(role, c)| (c.clone(), spend_title(role).to_owned()))
                .collect(),
        }
    }

    /// The zone and the options; the import the Import button starts, once
    /// nothing is missing.
    fn options_ui(
        &mut self,
        ui: &mut egui::Ui,
        missing: Vec<&str>,
        no_stages: bool,
        stage_dates: Option<StageDates>,
        buttons: &mut Buttons,
    ) -> Action {
        let mut action = Action::None;
        ui.add_space(8.0);
        let zone: Result<Zone, String> = self.zone.parse();
        ui.horizontal(|ui| {
            let label = ui.label("Time zone");
            let field = egui::TextEdit::singleline(&mut self.zone)
                .desired_width(180.0)
                .hint_text("UTC, +07:00 or Europe/Warsaw");
            ui.add(field).labelled_by(label.id).on_hover_text(
                "The zone of timestamps written without one. Timestamps with Z or an offset, \
                 and Unix times, are read as they are.",
            );
        });
        if let Err(problem) = &zone {
            ui.colored_label(theme::PAIN, problem);
        }
        ui.checkbox(&mut self.strict, "Strict: import nothing if any row is bad");
        ui.checkbox(&mut self.replace, "Replace an earlier import of this file");

        if !missing.is_empty() {
            ui.colored_label(
                theme::PAIN,
                format!("Choose the column for the {}.", missing.join(", ")),
            );
        }
        let options = |replace, append| Request {
            options: ImportOptions {
                columns: self.mapping(),
                zone: zone.clone().unwrap_or(Zone::Utc),
                strict: self.strict,
                replace,
                append,
                stage_dates: stage_dates.clone(),
                sheet: (!self.sheet.is_empty()).then(|| self.sheet.clone()),
                dialect: self.choice,
                ..ImportOptions::default()
            },
            spend: (self.kind == Kind::Spend).then(|| self.spend_mapping()),
        };
        if let State::Form { failure: Some(f) } = &self.state {
            ui.add_space(6.0);
            ui.colored_label(theme::PAIN, &f.message);
            if let Some(hint) = &f.hint {
                ui.label(hint);
            }
            if f.ask_replace_or_append && missing.is_empty() && zone.is_ok() && !no_stages {
                ui.horizontal(|ui| {
                    if ui
                        .button("Replace the earlier import")
                        .on_hover_text("Remove what was imported from this file before, then import it whole")
                        .clicked()
                    {
                        action = Action::Start(Box::new(options(true, false)));
                    }
                    if ui
                        .button("Keep both")
                        .on_hover_text("Import the whole file again beside what was imported from it before")
                        .clicked()
                    {
                        action = Action::Start(Box::new(options(false, true)));
                    }
                });
            }
        }
        let ready = missing.is_empty() && zone.is_ok() && !no_stages;
        *buttons = Buttons::Import(ready.then(|| Box::new(options(self.replace, false))));
        action
    }

    fn running_ui(&self, ui: &mut egui::Ui) {
        let State::Running(r) = &self.state else { return };
        ui.add_space(8.0);
        let p = r.progress;
        let elapsed = r.started.elapsed().as_secs_f64();
        let fraction = if p.total_bytes > 0 {
            p.bytes_read as f32 / p.total_bytes as f32
        } else {
            0.0
        };
        let cancelling = r.cancel.load(Ordering::Relaxed);
        let read = fraction >= 1.0;
        let text = if cancelling {
            "Cancelling…".to_owned()
        } else if p.rows == 0 {
            "Reading the file…".to_owned()
        } else if read {
            format!("{} rows · finishing: sorting and saving…", count(p.rows))
        } else {
            let rate = if elapsed > 0.0 { p.rows as f64 / elapsed } else { 0.0 };
            format!("{} rows · {} rows/s", count(p.rows), count(rate as u64))
        };
        // The bar's spinner draws a frame after frame: only while the bar
        // itself cannot move. Otherwise progress repaints it (ten times a
        // second), and the seconds below tick four times a second.
        let waiting = cancelling || p.rows == 0 || read;
        ui.add(egui::ProgressBar::new(fraction).animate(waiting).text(text.clone()))
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ProgressIndicator, true, &text));
        ui.ctx().request_repaint_after(std::time::Duration::from_millis(250));
        ui.label(
            RichText::new(format!(
                "{:.1} of {:.1} MB · {:.0} s",
                p.bytes_read as f64 / 1e6,
                p.total_bytes as f64 / 1e6,
                elapsed
            ))
            .color(theme::MUTED),
        );
        ui.label(
            RichText::new("Cancelling undoes the whole import: the database stays as it was.").color(theme::MUTED),
        );
        ui.add_space(6.0);
        if ui
            .add_enabled(!cancelling, egui::Button::new("Cancel import"))
            .clicked()
        {
            r.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Returns true when the user closes the summary.
    fn done_ui(&self, ui: &mut egui::Ui) -> bool {
        let State::Done(s) = &self.state else { return false };
        ui.add_space(8.0);
        let headline = match s.continues_import {
            _ if self.kind == Kind::Spend => format!(
                "Imported {} of ad spend{}",
                plural(s.imported, "row"),
                if s.continues_import.is_some() {
                    " added since the earlier import"
                } else {
                    ""
                }
            ),
            Some(_) => format!(
                "Imported {} added after the {} imported before",
                plural(s.imported, "new event"),
                count(s.rows_before)
            ),
            None => match s.stage_rows {
                Some(rows) => format!(
                    "Imported {} from {} with stage dates",
                    plural(s.imported, "event"),
                    plural(rows, "row")
                ),
                None => format!("Imported {}", plural(s.imported, "event")),
            },
        };
        ui.label(RichText::new(headline).strong().color(theme::OPPORTUNITY));
        let took = if s.seconds < 1.0 {
            format!("{:.0} ms", s.seconds * 1000.0)
        } else {
            format!("{:.1} s", s.seconds)
        };
        let mut facts = vec![took];
        if s.sheet.is_none() {
            facts.push(format!("read as {}", s.dialect.describe()));
        }
        if s.skipped_lines > 0 {
            let what = if s.sheet.is_some() { "row" } else { "line" };
            facts.push(format!("{} before the header skipped", plural(s.skipped_lines, what)));
        }
        if let Some(currency) = &s.currency {
            facts.push(format!("amounts in {currency}"));
        }
        if s.blank_rows > 0 {
            let what = match self.kind {
                Kind::Events => "blank rows",
                Kind::Spend => "blank or total rows",
            };
            facts.push(format!("{} {what} left out", count(s.blank_rows)));
        }
        if !s.replaced_imports.is_empty() {
            facts.push(format!("replaced {} earlier import(s)", s.replaced_imports.len()));
        }
        if !s.properties.is_empty() {
            facts.push(format!("kept as properties: {}", s.properties.join(", ")));
        }
        ui.label(RichText::new(facts.join(" · ")).color(theme::MUTED));
        if s.rejected > 0 {
            ui.add_space(4.0);
            ui.colored_label(
                theme::PAIN,
                format!("Rejected {} rows (not imported)", count(s.rejected)),
            );
            let place = if s.sheet.is_some() { "row" } else { "line" };
            for r in s.rejections.iter().take(REJECTIONS_SHOWN) {
                ui.label(format!("{place} {}: {}", r.line, r.reason));
            }
            if s.rejected > REJECTIONS_SHOWN.min(s.rejections.len()) as u64 {
                ui.label(
                    RichText::new("All rejected rows are kept in the database (table rejected_rows).")
                        .color(theme::MUTED),
                );
            }
        } else {
            ui.label("No rows were rejected.");
        }
        ui.add_space(8.0);
        ui.button("Close").clicked()
    }
}

/// Why the preview cannot be shown, in the dialog's words.
fn preview_problem(err: &StoreError) -> String {
    match err {
        StoreError::AmbiguousEncoding { candidates, .. } => {
            let mut text =
                "The file is not UTF-8, and which encoding it is cannot be told for sure. It reads as:".to_owned();
            for c in candidates {
                text.push_str(&format!("\n{}: {}", c.encoding, c.sample));
            }
            text.push_str("\nChoose the right one under Encoding above.");
            text
        }
        other => other.to_string(),
    }
}

/// A picker named for screen readers, its choice as its value.
fn labelled_combo(response: &egui::Response, name: &str, chosen: &str) {
    response.widget_info(|| {
        let mut info = egui::WidgetInfo::labeled(egui::Role::ComboBox, true, name);
        info.current_text_value = Some(chosen.to_owned());
        info
    });
}

fn column_combo(ui: &mut egui::Ui, role: Role, header: &[String], chosen: &mut String) {
    pick_column(ui, role_title(role), role.required(), header, chosen);
}

/// A column picker titled `title`; an optional one offers "(none)".
fn pick_column(ui: &mut egui::Ui, title: &str, required: bool, header: &[String], chosen: &mut String) {
    ui.label(title);
    let selected = if chosen.is_empty() {
        if required {
            "(choose a column)".to_owned()
        } else {
            "(none)".to_owned()
        }
    } else {
        chosen.clone()
    };
    let response = egui::ComboBox::from_id_salt(("import-column", title))
        .selected_text(&selected)
        .width(200.0)
        .show_ui(ui, |ui| {
            if !required {
                ui.selectable_value(chosen, String::new(), "(none)");
            }
            for column in header {
                ui.selectable_value(chosen, column.clone(), column);
            }
        })
        .response;
    labelled_combo(&response, &format!("{title} column"), &selected);
}

/// The stage date columns: whether to unpivot, and each column's event.
fn stage_form(ui: &mut egui::Ui, stages: &mut StageForm) {
    ui.add_space(8.0);
    ui.label(RichText::new("Stage dates").strong());
    ui.checkbox(&mut stages.on, "One row per person: each filled date becomes an event");
    if !stages.on {
        return;
    }
    ui.label(
        RichText::new("Each ticked column's dates become events of the name beside it, at that date.")
            .color(theme::MUTED),
    );
    egui::Grid::new("import-stages")
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for (column, used, event) in &mut stages.columns {
                ui.checkbox(used, column.as_str());
                let name = format!("Event for {column}");
                ui.add_enabled(*used, egui::TextEdit::singleline(event).desired_width(200.0))
                    .widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, *used, &name));
                ui.end_row();
            }
        });
}

fn role_title(role: Role) -> &'static str {
    match role {
        Role::Person => "Person",
        Role::Time => "Time",
        Role::Event => "Event",
        Role::Channel => "Channel",
        Role::Cost => "Cost",
        Role::Revenue => "Revenue",
    }
}

fn spend_title(role: SpendRole) -> &'static str {
    match role {
        SpendRole::Day => "Day",
        SpendRole::Channel => "Channel",
        SpendRole::Cost => "Cost",
        SpendRole::Campaign => "Campaign",
        SpendRole::Impressions => "Impressions",
        SpendRole::Clicks => "Clicks",
        SpendRole::Currency => "Currency",
    }
}

/// The preview, each column tagged with what it is used for (`tags`:
/// column name, use), else with `unused`.
fn preview_grid(ui: &mut egui::Ui, preview: &Preview, tags: &[(String, String)], unused: &str) {
    egui::ScrollArea::both()
        .id_salt("import-preview")
        .max_height(240.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                egui::Grid::new("import-preview-grid")
                    .striped(true)
                    .spacing([14.0, 3.0])
                    .show(ui, |ui| {
                        for name in &preview.header {
                            let role = tags.iter().find(|(c, _)| c == name).map(|(_, tag)| tag.as_str());
                            ui.vertical(|ui| {
                                ui.add(egui::Label::new(RichText::new(cut(name)).strong()).extend());
                                let tag = role.unwrap_or(unused);
                                let color = if role.is_some() { theme::SELECTION } else { theme::MUTED };
                                ui.add(egui::Label::new(RichText::new(tag).small().color(color)).extend());
                            });
                        }
                        ui.end_row();
                        for row in &preview.rows {
                            for cell in row {
                                ui.add(egui::Label::new(cut(cell)).extend());
                            }
                            ui.end_row();
                        }
                    });
            });
        });
}

/// A cell's text, on one line and at most `CELL_CHARS` long.
fn cut(text: &str) -> String {
    let one_line = text.replace(['\r', '\n'], " ");
    if one_line.chars().count() <= CELL_CHARS {
        one_line
    } else {
        let mut s: String = one_line.chars().take(CELL_CHARS - 1).collect();
        s.push('…');
        s
    }
}

/// An import error, in the dialog's words: what went wrong (file, line)
/// and, where there is one, what to do.
fn failure(err: &StoreError) -> Failure {
    let file_name = |f: &Path| f.display().to_string();
    match err {
        StoreError::AlreadyImported {
            file,
            import_id,
            earlier_name,
            when,
        } => Failure {
            message: format!(
                "{}: the same content was already imported (import {import_id}, {earlier_name}, {when}).",
                file_name(file)
            ),
            hint: Some("Tick “Replace an earlier import of this file” to import it again in its place.".into()),
            ask_replace_or_append: false,
        },
        StoreError::ChangedSinceImport { file, import_id, when } => Failure {
            message: format!(
                "{}: this file was imported before (import {import_id}, {when}) and has changed since, \
                 not only by rows added at its end.",
                file_name(file)
            ),
            hint: Some(
                "Replace the earlier import with this content, or keep both (the old rows stay and the whole \
                 file comes in again)."
                    .into(),
            ),
            ask_replace_or_append: true,
        },
        StoreError::MissingColumn { file, role, column, .. } => Failure {
            message: format!(
                "{}: there is no column “{column}” for the {}.",
                file_name(file),
                role.describe()
            ),
            hint: Some("Choose another column above.".into()),
            ask_replace_or_append: false,
        },
        StoreError::StrictRejected { file, summary } => {
            let mut message = format!(
                "{}: {} of {} rows are not valid, and with Strict ticked nothing was imported.",
                file_name(file),
                count(summary.rejected),
                count(summary.rejected + summary.imported)
            );
            for r in summary.rejections.iter().take(REJECTIONS_SHOWN) {
                message.push_str(&format!("\nline {}: {}", r.line, r.reason));
            }
            Failure {
                message,
                hint: Some("Untick Strict to import the good rows and keep the bad ones aside.".into()),
                ask_replace_or_append: false,
            }
        }
        StoreError::Cancelled { .. } => Failure {
            message: "Import cancelled.".into(),
            hint: Some("Nothing was imported: the database is as it was.".into()),
            ask_replace_or_append: false,
        },
        other => Failure {
            message: other.to_string(),
            hint: None,
            ask_replace_or_append: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_cut_to_one_short_line() {
        assert_eq!(cut("a\r\nb"), "a  b");
        let long = "x".repeat(100);
        assert_eq!(cut(&long).chars().count(), CELL_CHARS);
        assert!(cut(&long).ends_with('…'));
    }

    #[test]
    fn already_imported_suggests_replace() {
        let f = failure(&StoreError::AlreadyImported {
            file: "e.csv".into(),
            import_id: 3,
            earlier_name: "e.csv".into(),
            when: "2026-01-01".into(),
        });
        assert!(f.message.contains("e.csv") && f.message.contains("import 3"));
        assert!(f.hint.unwrap().contains("Replace"));
    }
}
