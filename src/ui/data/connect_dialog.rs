//! The Connect to ClickHouse dialog: the table's URL and the password,
//! "Test connection" (on a worker: the server's version and the table's
//! columns), the column mapping picked from those columns, and "Connect",
//! which checks the mapping against the columns' types on the server. The
//! password lives in this dialog and in the connection alone: it is never
//! remembered, shown or written anywhere.

use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use eframe::egui::{self, RichText};

use super::super::theme;
use super::connection::{self, Mapping, PARTS, Remembered};
use crate::store::clickhouse::{
    ClickHouseSource, ClickHouseUrl, ColumnInfo, DEFAULT_TIMEOUT, PASSWORD_VARIABLE, TableInfo,
};

/// How long "Test connection" waits for the server: the table's columns
/// come back at once from a server that answers at all.
const TEST_TIMEOUT: Duration = Duration::from_secs(30);

pub(super) enum Action {
    None,
    Close,
    /// Connected: show this table's events.
    Connected(Box<ClickHouseSource>, Remembered),
}

/// A question to the server under way.
enum Asking {
    Test(Receiver<Result<TableInfo, String>>),
    Connect(Receiver<Result<ClickHouseSource, String>>),
}

pub(super) struct ConnectDialog {
    url: String,
    password: String,
    /// Whether the password came from JOURNEYMAP_CLICKHOUSE_PASSWORD.
    password_from_env: bool,
    /// The URL the table below was listed for.
    tested: Option<(String, TableInfo)>,
    mapping: Mapping,
    asking: Option<Asking>,
    error: Option<String>,
}

impl ConnectDialog {
    /// A dialog with `remembered`'s URL and mapping, if any; the password
    /// from JOURNEYMAP_CLICKHOUSE_PASSWORD when it is set.
    pub fn open(remembered: Option<&Remembered>) -> ConnectDialog {
        let env = std::env::var(PASSWORD_VARIABLE).ok();
        ConnectDialog {
            url: remembered.map_or_else(String::new, |r| r.url.clone()),
            password_from_env: env.is_some(),
            password: env.unwrap_or_default(),
            tested: None,
            mapping: remembered.map(|r| r.mapping.clone()).unwrap_or_default(),
            asking: None,
            error: None,
        }
    }

    /// Whether a question to the server is under way.
    pub fn busy(&self) -> bool {
        self.asking.is_some()
    }

    fn password(&self) -> Option<String> {
        Some(self.password.clone()).filter(|p| !p.is_empty())
    }

    /// The URL as typed, read; the message never repeats a password in it.
    fn parsed_url(&self) -> Result<ClickHouseUrl, String> {
        if self.url.trim().is_empty() {
            return Err("Type the table's URL: clickhouse://[USER@]HOST[:PORT]/DATABASE.TABLE".into());
        }
        ClickHouseUrl::parse(&self.url)
    }

    fn test(&mut self, ctx: &egui::Context) {
        self.error = None;
        let url = match self.parsed_url() {
            Ok(url) => url,
            Err(e) => return self.error = Some(e),
        };
        let (tx, rx) = channel();
        let (ctx, password) = (ctx.clone(), self.password());
        std::thread::spawn(move || {
            let result = ClickHouseSource::inspect(&url, password, TEST_TIMEOUT);
            let _ = tx.send(result.map_err(|e| connection::describe_error(&e)));
            ctx.request_repaint();
        });
        self.asking = Some(Asking::Test(rx));
    }

    fn connect(&mut self, ctx: &egui::Context) {
        self.error = None;
        let url = match self.parsed_url() {
            Ok(url) => url,
            Err(e) => return self.error = Some(e),
        };
        let (tx, rx) = channel();
        let (ctx, password, mapping) = (ctx.clone(), self.password(), self.mapping.clone());
        std::thread::spawn(move || {
            let result = ClickHouseSource::connect_mapped(url, &mapping.pairs(), password, DEFAULT_TIMEOUT);
            let _ = tx.send(result.map_err(|e| connection::describe_error(&e)));
            ctx.request_repaint();
        });
        self.asking = Some(Asking::Connect(rx));
    }

    /// Takes in the server's answer, if it came.
    fn receive(&mut self) -> Action {
        match &self.asking {
            Some(Asking::Test(rx)) => match rx.try_recv() {
                Ok(Ok(info)) => {
                    self.asking = None;
                    let guess = Mapping::guess(&info.columns);
                    // A remembered mapping stays as far as the table still has it.
                    self.mapping.keep_existing(&info.columns);
                    if self.mapping.missing().is_some() {
                        self.mapping = guess;
                    }
                    self.tested = Some((self.url.trim().to_owned(), info));
                }
                Ok(Err(e)) => {
                    self.asking = None;
                    self.tested = None;
                    self.error = Some(e);
                }
                Err(_) => {}
            },
            Some(Asking::Connect(rx)) => match rx.try_recv() {
                Ok(Ok(source)) => {
                    self.asking = None;
                    let remembered = Remembered {
                        url: source.url().to_string(),
                        mapping: self.mapping.clone(),
                    };
                    return Action::Connected(Box::new(source), remembered);
                }
                Ok(Err(e)) => {
                    self.asking = None;
                    self.error = Some(e);
                }
                Err(_) => {}
            },
            None => {}
        }
        Action::None
    }

    /// Draws the dialog; returns what the user asked for.
    pub fn show(&mut self, ctx: &egui::Context) -> Action {
        let mut action = self.receive();
        if !matches!(action, Action::None) {
            return action;
        }
        let modal = egui::Modal::new(egui::Id::unique("connect-clickhouse")).show(ctx, |ui| {
            ui.set_width(620.0_f32.min(ctx.content_rect().width() - 60.0));
            ui.label(RichText::new("Connect to ClickHouse").heading().strong());
            ui.label(
                RichText::new(
                    "The events stay on the server: the Data view and the map's overlay read them from \
                     the table. The URL and the columns are remembered for this map while the app runs; \
                     the password never is.",
                )
                .color(theme::MUTED),
            );
            ui.add_space(8.0);
            action = self.form(ui);
        });
        if modal.should_close() && matches!(action, Action::None) {
            action = Action::Close;
        }
        action
    }

    fn form(&mut self, ui: &mut egui::Ui) -> Action {
        let mut action = Action::None;
        let asking = self.asking.is_some();
        egui::Grid::new("connect-fields")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                let label = ui.label("URL").id;
                ui.add_enabled(
                    !asking,
                    egui::TextEdit::singleline(&mut self.url)
                        .hint_text("clickhouse://USER@HOST:8123/DATABASE.TABLE")
                        .desired_width(440.0),
                )
                .labelled_by(label);
                ui.end_row();
                let label = ui.label("Password").id;
                ui.vertical(|ui| {
                    ui.add_enabled(
                        !asking,
                        egui::TextEdit::singleline(&mut self.password)
                            .password(true)
                            .desired_width(240.0),
                    )
                    .labelled_by(label);
                    if self.password_from_env {
                        ui.label(
                            RichText::new(format!("From {PASSWORD_VARIABLE}"))
                                .small()
                                .color(theme::MUTED),
                        );
                    }
                });
                ui.end_row();
            });
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.add_enabled(!asking, egui::Button::new("Test connection")).clicked() {
                self.test(ui.ctx());
            }
            match self.asking {
                Some(Asking::Test(_)) => {
                    ui.spinner();
                    ui.label("Asking the server for the table's columns…");
                }
                Some(Asking::Connect(_)) => {
                    ui.spinner();
                    ui.label("Connecting…");
                }
                None => {}
            }
        });
        if let Some(err) = &self.error {
            ui.add_space(4.0);
            ui.colored_label(theme::PAIN, err);
        }
        // The columns belong to the URL they were listed for.
        let current = self.tested.as_ref().filter(|(url, _)| *url == self.url.trim());
        if let Some((_, info)) = current {
            ui.add_space(8.0);
            ui.label(format!("ClickHouse {} · {} columns", info.version, info.columns.len()));
            ui.add_space(4.0);
            ui.label(RichText::new("Columns").strong());
            ui.label(
                RichText::new(
                    "Person, time and event are needed; the time is a DateTime, DateTime64 or Date column. \
                     A tie order column (the row number of the file the table came from) orders events at \
                     the same time as an import of that file would.",
                )
                .color(theme::MUTED),
            );
            egui::Grid::new("connect-columns")
                .num_columns(2)
                .spacing([12.0, 4.0])
                .show(ui, |ui| {
                    for (i, (_, title)) in PARTS.iter().enumerate() {
                        pick_column(
                            ui,
                            title,
                            connection::required(i),
                            &info.columns,
                            &mut self.mapping.0[i],
                        );
                        ui.end_row();
                    }
                });
        } else if !asking {
            ui.label(RichText::new("Test the connection to list the table's columns.").color(theme::MUTED));
        }
        ui.add_space(10.0);
        let (listed, missing) = (current.is_some(), self.mapping.missing());
        let ready = listed && missing.is_none() && !asking;
        ui.horizontal(|ui| {
            let connect = ui
                .add_enabled(ready, egui::Button::new(RichText::new("Connect").strong()))
                .on_disabled_hover_text(match missing {
                    Some(part) if listed => format!("Choose the {} column", part.to_lowercase()),
                    _ => "Test the connection first".into(),
                });
            if connect.clicked() {
                self.connect(ui.ctx());
            }
            if ui.button("Cancel").clicked() {
                // A question under way is left to finish; nobody hears its answer.
                action = Action::Close;
            }
        });
        action
    }
}

/// A column picker titled `title`, listing each column with its type; an
/// optional one offers "(none)".
fn pick_column(ui: &mut egui::Ui, title: &str, required: bool, columns: &[ColumnInfo], chosen: &mut String) {
    ui.label(title);
    let selected = match (chosen.is_empty(), required) {
        (true, true) => "(choose a column)".to_owned(),
        (true, false) => "(none)".to_owned(),
        (false, _) => chosen.clone(),
    };
    let response = egui::ComboBox::from_id_salt(("connect-column", title))
        .selected_text(&selected)
        .width(320.0)
        .show_ui(ui, |ui| {
            if !required {
                ui.selectable_value(chosen, String::new(), "(none)");
            }
            for c in columns {
                let text = format!("{}  {}", c.name, c.type_name);
                ui.selectable_value(chosen, c.name.clone(), text);
            }
        })
        .response;
    response.widget_info(|| {
        let mut info = egui::WidgetInfo::labeled(egui::Role::ComboBox, true, format!("{title} column"));
        info.current_text_value = Some(selected.clone());
        info
    });
}
