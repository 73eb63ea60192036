//! Dot voting in the editor: the dots and count of an idea, the −1/+1
//! control the inspector puts beside each pain point, opportunity and sticky
//! note, and the Top voted list ranking the voted ideas across the map.

use eframe::egui::{self, RichText};

use super::app::{JourneyApp, View};
use super::selection::{Item, Selection};
use super::theme;
use crate::layout::style;
use crate::model::idea::{self, IdeaKind};

const MAX_DOTS: u32 = style::MAX_VOTE_DOTS;

/// An idea's votes as the map draws them, up to five dots, then its count.
/// Always as wide as five dots and a count, so the buttons beside it stay
/// put while votes are clicked in.
pub fn dots(ui: &mut egui::Ui, votes: u32) {
    let shown = votes.min(MAX_DOTS);
    let (pitch, radius) = (9.0, 3.5);
    let size = egui::vec2(MAX_DOTS as f32 * pitch + 26.0, 14.0);
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
    let color = theme::rgb(style::VOTE);
    for i in 0..shown {
        let center = egui::pos2(rect.min.x + radius + i as f32 * pitch, rect.center().y);
        ui.painter().circle_filled(center, radius, color);
    }
    let text_at = egui::pos2(rect.min.x + shown as f32 * pitch + 2.0, rect.center().y);
    let count_color = if votes == 0 { theme::MUTED } else { color };
    ui.painter().text(
        text_at,
        egui::Align2::LEFT_CENTER,
        votes.to_string(),
        egui::TextStyle::Body.resolve(ui.style()),
        count_color,
    );
    let name = if votes == 1 {
        "1 vote".to_owned()
    } else {
        format!("{votes} votes")
    };
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &name));
}

/// −1, the idea's dots and count, +1, then (`with_text`) its text: the votes
/// clicked (−1, 0 or +1). Buttons are named for the idea, for screen readers
/// and tests.
pub fn control(ui: &mut egui::Ui, text: &str, votes: u32, with_text: bool) -> i32 {
    let mut delta = 0;
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        let name = format!("Take back a vote from “{text}”");
        let minus = ui.add_enabled(votes > 0, egui::Button::new("−1").small());
        minus.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, votes > 0, &name));
        if minus.on_hover_text("Take back a vote").clicked() {
            delta = -1;
        }
        dots(ui, votes);
        let name = format!("Vote for “{text}”");
        let plus = ui.small_button("+1");
        plus.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
        if plus.on_hover_text("Add a dot vote").clicked() {
            delta = 1;
        }
        if with_text {
            ui.add(egui::Label::new(RichText::new(text).small()).truncate());
        }
    });
    delta
}

impl JourneyApp {
    /// The Top voted window: the map's voted ideas, most votes first; a
    /// click selects the idea's touchpoint (or stage) on the canvas.
    pub(super) fn top_voted(&mut self, ctx: &egui::Context) {
        if !self.show_votes {
            return;
        }
        let Some(doc) = &self.doc else { return };
        let map = doc.map();
        let mut open = true;
        let mut chosen = None;
        egui::Window::new("Top voted")
            .open(&mut open)
            .default_width(360.0)
            .default_pos(ctx.content_rect().right_top() + egui::vec2(-780.0, 60.0))
            .show(ctx, |ui| {
                let ranked = idea::ranked(map);
                if ranked.is_empty() {
                    ui.label("No votes yet.");
                    ui.label(
                        RichText::new(
                            "Select a touchpoint or stage and click +1 beside a pain point, \
                             opportunity or sticky note in the inspector to give it a dot vote.",
                        )
                        .color(theme::MUTED),
                    );
                    return;
                }
                egui::ScrollArea::vertical().max_height(480.0).show(ui, |ui| {
                    for (rank, listed) in ranked.iter().enumerate() {
                        let stage = map.stage(listed.stage).map_or("", |s| s.name.as_str());
                        let place = match listed.touchpoint.and_then(|t| map.touchpoint(t)) {
                            Some(tp) => format!("{stage} · {}", tp.name),
                            None => stage.to_owned(),
                        };
                        ui.horizontal(|ui| {
                            ui.label(RichText::new(format!("{}.", rank + 1)).color(theme::MUTED));
                            dots(ui, listed.votes);
                        });
                        let button = ui.add(egui::Button::new(listed.text).frame(false).wrap());
                        let name = format!("{}. {}", rank + 1, listed.text);
                        button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
                        if button.on_hover_text("Show it on the map").clicked() {
                            chosen = Some(match listed.touchpoint {
                                Some(tp) => Item::Touchpoint(tp),
                                None => Item::Stage(listed.stage),
                            });
                        }
                        ui.horizontal_wrapped(|ui| {
                            ui.label(
                                RichText::new(listed.kind.label())
                                    .small()
                                    .strong()
                                    .color(theme::rgb(kind_color(listed.kind))),
                            );
                            ui.label(RichText::new(place).small().color(theme::MUTED));
                        });
                        ui.separator();
                    }
                });
            });
        self.show_votes = open;
        if let Some(item) = chosen {
            self.view = View::Map;
            self.selection = Selection::only(item);
            self.reveal = Some(item);
        }
    }
}

/// Notes in the list read in muted ink rather than the map's black.
fn kind_color(kind: IdeaKind) -> crate::model::Rgb {
    match kind {
        IdeaKind::Note => style::MUTED,
        other => style::idea_color(other),
    }
}
