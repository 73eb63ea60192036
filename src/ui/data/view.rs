//! Drawing the Data view: the header with the database and its imports
//! (or the connected ClickHouse table), the states before there is
//! anything to show (loading with its progress), and the charts.

use eframe::egui::{self, RichText};

use super::charts;
use super::connect_dialog;
use super::import_dialog::Action;
use super::imports_window;
use super::{DataPanel, Fix, count, day, plural};
use crate::model::JourneyMap;
use crate::store::ImportInfo;
use crate::ui::picker::FilePicker;
use crate::ui::theme;

impl DataPanel {
    /// Draws the whole Data view (and the import dialog, when open).
    /// `revision` is the map's edit counter: when it changes the analyses
    /// are redone. Returns the fixes chosen this frame, each to be applied
    /// as one undo step.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        map: &JourneyMap,
        revision: u64,
        picker: &mut dyn FilePicker,
    ) -> Vec<Fix> {
        let mut fixes = Vec::new();
        let ctx = ui.ctx().clone();
        self.poll(&ctx, map, revision);
        egui::ScrollArea::vertical()
            .id_salt("data-view")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui::Frame::NONE
                    .inner_margin(egui::Margin::symmetric(24, 16))
                    .show(ui, |ui| {
                        ui.set_max_width(1200.0);
                        self.contents(ui, map, picker, &mut fixes);
                    });
            });
        if let Some(dialog) = &mut self.import {
            let db = self.db.clone().unwrap_or_default();
            match dialog.show(&ctx, &db) {
                Action::None => {}
                Action::Close => self.import = None,
                Action::ChooseFile => self.choose_csv(picker),
                Action::Start(request) => self.start_import(&ctx, *request),
            }
        }
        if let Some(dialog) = &mut self.connect {
            match dialog.show(&ctx) {
                connect_dialog::Action::None => {}
                connect_dialog::Action::Close => self.connect = None,
                connect_dialog::Action::Connected(source, remembered) => {
                    self.connect = None;
                    self.connect_source(*source, remembered);
                }
            }
        }
        if let Some(window) = &mut self.imports_window {
            match window.show(&ctx, &self.imports) {
                imports_window::Action::None => {}
                imports_window::Action::Close => self.imports_window = None,
                imports_window::Action::Remove(id) => self.start_removal(&ctx, id),
            }
        }
        // Settings may have changed while drawing.
        self.schedule_analysis(&ctx, map, revision);
        fixes
    }

    fn contents(&mut self, ui: &mut egui::Ui, map: &JourneyMap, picker: &mut dyn FilePicker, fixes: &mut Vec<Fix>) {
        let has_events = self.log.as_ref().is_some_and(|l| !l.is_empty());
        self.header(ui, picker, has_events);
        if self.remote.is_none() {
            currency_note(ui, map, &self.imports, fixes);
        }
        if let Some(err) = &self.error {
            ui.add_space(8.0);
            ui.colored_label(theme::PAIN, format!("Could not read the data: {err}"));
        }
        if self.load_cancelled {
            ui.add_space(8.0);
            ui.label(
                RichText::new("Loading was cancelled (a ClickHouse query is stopped on the server). Reload reads the events again.")
                    .color(theme::MUTED),
            );
        }
        if self.db.is_none() && self.remote.is_none() {
            self.unsaved_state(ui, map, picker);
            return;
        }
        if self.loading && self.log.is_none() {
            self.loading_state(ui);
            return;
        }
        if self.log.is_some() && !has_events {
            match &self.remote {
                Some(remote) => {
                    ui.add_space(16.0);
                    ui.label(format!("The table {} has no events.", remote.short));
                }
                None => self.empty_state(ui, picker),
            }
            return;
        }
        let Some(analysis) = &self.analysis else {
            if self.analysing.is_some() {
                ui.add_space(12.0);
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Analysing the events…");
                });
            }
            return;
        };
        if self.analysing.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(RichText::new("Updating for the latest changes…").color(theme::MUTED));
            });
        }
        let events = self.log.as_deref().map_or(&[][..], |l| &l.event_names[..]);
        let properties = self.properties();
        charts::funnel(ui, map, analysis, &mut self.settings, (events, &properties));
        charts::timing(ui, analysis);
        charts::attribution(ui, map, analysis, &mut self.settings);
        charts::money(ui, analysis);
        charts::paths(ui, map, analysis, &mut self.settings);
        if let Some(log) = &self.log {
            charts::comparison(ui, map, log, analysis, &mut self.settings.share_percent, fixes);
        }
        ui.add_space(16.0);
        ui.label(
            RichText::new(format!(
                "Loaded in {:.2} s; analysed in {:.2} s.",
                self.load_seconds, analysis.seconds
            ))
            .small()
            .color(theme::MUTED),
        );
    }

    fn header(&mut self, ui: &mut egui::Ui, picker: &mut dyn FilePicker, has_events: bool) {
        let remote = self.remote.is_some();
        ui.horizontal(|ui| {
            ui.label(RichText::new("Data").heading().strong());
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if remote {
                    if ui
                        .button("Disconnect")
                        .on_hover_text("Close the connection to ClickHouse and show this map's database file again")
                        .clicked()
                    {
                        self.disconnect();
                    }
                } else if ui
                    .add_enabled(!self.import_running(), egui::Button::new("Connect to ClickHouse…"))
                    .on_hover_text("Show the events of a ClickHouse table instead, where they are")
                    .clicked()
                {
                    self.open_connect();
                }
                if !remote && (has_events || !self.imports.is_empty()) {
                    if ui
                        .add_enabled(!self.import_running(), egui::Button::new("Import events…"))
                        .on_hover_text(
                            "Add the events of a CSV file or spreadsheet, or an ad spend report, \
                             to this map's database",
                        )
                        .clicked()
                    {
                        self.choose_csv(picker);
                    }
                    if ui
                        .add_enabled(!self.import_running(), egui::Button::new("Imports…"))
                        .on_hover_text("List the files imported into this database, and remove one")
                        .clicked()
                    {
                        self.open_imports();
                    }
                }
                if remote || has_events || !self.imports.is_empty() || self.load_cancelled {
                    let what = if remote {
                        "Ask the table again"
                    } else {
                        "Read the database again"
                    };
                    if ui
                        .add_enabled(!self.loading, egui::Button::new("Reload"))
                        .on_hover_text(what)
                        .clicked()
                    {
                        self.reload();
                    }
                }
                if self.loading && self.log.is_some() {
                    if remote
                        && ui
                            .button("Cancel")
                            .on_hover_text("Stop the query on the server")
                            .clicked()
                    {
                        self.cancel_loading();
                    }
                    ui.spinner();
                }
            });
        });
        ui.horizontal_wrapped(|ui| {
            match (&self.remote, &self.db) {
                (Some(remote), _) => {
                    ui.label(RichText::new("Source").color(theme::MUTED));
                    ui.label(&remote.label);
                }
                (None, Some(db)) => {
                    ui.label(RichText::new("Database").color(theme::MUTED));
                    ui.label(db.display().to_string());
                }
                (None, None) => return,
            }
            if let Some(log) = &self.log
                && !log.is_empty()
            {
                ui.separator();
                let people = format!(
                    "{} · {} people",
                    plural(log.len() as u64, "event"),
                    count(log.person_count() as u64)
                );
                ui.label(match remote {
                    true => people,
                    false => format!("{people} · {}", plural(self.imports.len() as u64, "import")),
                });
                if let Some((first, last)) = self.span {
                    ui.separator();
                    ui.label(RichText::new(format!("{} to {}", day(first), day(last))).color(theme::MUTED));
                }
            }
        });
        if !remote && let Some(last) = self.remembered.get(&self.db) {
            let url = last.url.clone();
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(format!("Last connected to {url}")).color(theme::MUTED));
                if ui.small_button("Reconnect…").clicked() {
                    self.open_connect();
                }
            });
        }
    }

    /// Loading with nothing shown yet: the rows read so far (a ClickHouse
    /// query, or an older database file's events rebuilt once), and for
    /// ClickHouse a Cancel that stops the query on the server.
    fn loading_state(&mut self, ui: &mut egui::Ui) {
        ui.add_space(12.0);
        let from = match &self.remote {
            Some(remote) => format!("Loading events from {}…", remote.short),
            None => "Loading events…".to_owned(),
        };
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(from);
            if self.remote.is_some()
                && ui
                    .button("Cancel")
                    .on_hover_text("Stop the query on the server")
                    .clicked()
            {
                self.cancel_loading();
            }
        });
        if let Some(p) = self.load_progress {
            let text = match p.total_rows {
                0 => format!("{} rows read", count(p.read_rows)),
                total => format!("{} of {} rows read", count(p.read_rows), count(total)),
            };
            let fraction = match p.total_rows {
                0 => 0.0,
                total => (p.read_rows as f32 / total as f32).clamp(0.0, 1.0),
            };
            ui.add(egui::ProgressBar::new(fraction).desired_width(420.0).text(text.clone()))
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ProgressIndicator, true, &text));
        }
    }

    fn unsaved_state(&mut self, ui: &mut egui::Ui, map: &JourneyMap, picker: &mut dyn FilePicker) {
        ui.add_space(16.0);
        ui.label(RichText::new("This map is not saved yet").strong());
        if let Some(pending) = &self.pending_import {
            ui.label(format!(
                "To import {}, save the map or choose a database file: the import starts then.",
                pending.display()
            ));
        }
        ui.label(
            "Its events go in a database beside the map file (MAP.sqlite next to MAP.ron). \
             Save the map first, or choose where its data should go.",
        );
        ui.add_space(6.0);
        if ui.button("Choose a database file…").clicked() {
            let name = map.title.replace(['/', '\\'], "-");
            if let Some(path) = picker.save_export(&name, "sqlite") {
                self.set_database(Some(path));
            }
        }
    }

    fn empty_state(&mut self, ui: &mut egui::Ui, picker: &mut dyn FilePicker) {
        ui.add_space(24.0);
        egui::Frame::group(ui.style())
            .fill(theme::CARD)
            .inner_margin(egui::Margin::same(20))
            .show(ui, |ui| {
                ui.set_max_width(720.0);
                ui.label(RichText::new("No events yet").heading().strong());
                ui.add_space(4.0);
                ui.label(
                    "Import a CSV export from your analytics, marketing platform or CRM, one row per \
                     event, with at least these columns: person_id (who), timestamp (when) and event \
                     (what happened). channel, cost and revenue are optional; any other column is kept \
                     as a property. Other column names can be chosen when importing.",
                );
                ui.add_space(6.0);
                ui.label(
                    RichText::new(
                        "person_id,timestamp,event,channel\n\
                         u1042,2026-04-01T09:12:00Z,session_start,google\n\
                         u1042,2026-04-01T09:13:10Z,newsletter_signup,",
                    )
                    .monospace()
                    .color(theme::MUTED),
                );
                ui.add_space(6.0);
                ui.label(
                    RichText::new(
                        "Events meet touchpoints through each touchpoint's event matchers (in the \
                         inspector). Then this view shows the funnel, time to convert, attribution, and \
                         where the map and the data disagree.",
                    )
                    .color(theme::MUTED),
                );
                ui.add_space(10.0);
                if ui.button(RichText::new("Import events…").strong()).clicked() {
                    self.choose_csv(picker);
                }
            });
    }
}

/// The currency the imported money was written in, beside the map's: a
/// map in dollars over złoty would show every cost and revenue as dollars,
/// never converted, so a difference is said, with the fix.
fn currency_note(ui: &mut egui::Ui, map: &JourneyMap, imports: &[ImportInfo], fixes: &mut Vec<Fix>) {
    let Some((code, from)) = imports
        .iter()
        .find_map(|i| Some((i.currency.as_deref()?, i.file_name.as_str())))
    else {
        return;
    };
    ui.horizontal_wrapped(|ui| {
        if map.currency.trim().eq_ignore_ascii_case(code) {
            ui.label(RichText::new(format!("Money in {code}, as the map")).color(theme::MUTED));
            return;
        }
        ui.colored_label(
            theme::PAIN,
            format!(
                "The imported money is in {code} ({from}), but the map's currency is {}: \
                 amounts are shown as they are, not converted.",
                map.currency
            ),
        );
        if ui
            .button(format!("Use {code} for the map"))
            .on_hover_text("Set the map's currency to the data's (one undo step)")
            .clicked()
        {
            fixes.push(Fix::SetCurrency(code.to_owned()));
        }
    });
}
