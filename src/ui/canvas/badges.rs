//! The data overlay's badges answer a right click with the fixes the Data
//! view offers for the same finding: a path the map lacks can be drawn as a
//! link; a touchpoint nobody meets can be given an event no touchpoint
//! matches, or opened in the inspector to check its matchers.

use eframe::egui::{self, Rect, Sense};

use super::{Action, Camera};
use crate::export::scene::{Kind, Scene, Shape};
use crate::model::TouchpointId;
use crate::ui::data::Fix;
use crate::ui::selection::Item;

/// What the badge of a touchpoint nobody meets says.
const NOBODY: &str = "nobody meets this";
/// What the badge of a touchpoint without event matchers says.
const NOT_MEASURED: &str = "not measured";

/// Gives the overlay's actionable badges on screen a context menu.
/// `unmatched` are the commonest events no touchpoint matches.
pub(super) fn menus(
    ui: &mut egui::Ui,
    scene: &Scene,
    camera: &Camera,
    canvas: Rect,
    unmatched: &[String],
    actions: &mut Vec<Action>,
) {
    // Off-screen badges cost one rectangle test, before any text is read.
    let on_screen = |g: &&crate::export::scene::Group| {
        g.kind == Kind::Overlay && camera.rect_to_screen(canvas, g.bounds).intersects(canvas)
    };
    for group in scene.groups.iter().filter(on_screen) {
        if let Some((from, to)) = missing_link(&group.id) {
            let rect = camera.rect_to_screen(canvas, group.bounds);
            let title = group.title.clone().unwrap_or_default();
            let response = ui
                .interact(rect, ui.scope_id().with(&group.id), Sense::click())
                .on_hover_text(format!("{title}\nRight-click to add this link"));
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &title));
            response.context_menu(|ui| {
                if ui.button("Add link").clicked() {
                    actions.push(Action::Fix(Fix::AddLink { from, to }));
                    ui.close();
                }
            });
        } else if let Some(tp) = group.id.strip_prefix("data-").and_then(|n| n.parse().ok()) {
            let touchpoint = TouchpointId(tp);
            let (pill, text, explain) = if let Some(pill) = pill_saying(&group.shapes, NOBODY) {
                let explain = "No imported event matches this touchpoint's event matchers. Right-click for fixes";
                (pill, NOBODY, explain)
            } else if let Some(pill) = pill_saying(&group.shapes, NOT_MEASURED) {
                let explain = "This touchpoint has no event matchers, so the data cannot say how many \
                               people meet it. Right-click to add some";
                (pill, NOT_MEASURED, explain)
            } else {
                continue;
            };
            let rect = camera.rect_to_screen(canvas, pill);
            if !rect.intersects(canvas) {
                continue;
            }
            let response = ui
                .interact(rect, ui.scope_id().with(&group.id), Sense::click())
                .on_hover_text(explain);
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, text));
            response.context_menu(|ui| {
                if ui.button("Edit its event matchers").clicked() {
                    actions.push(Action::Select {
                        item: Item::Touchpoint(touchpoint),
                        add: false,
                    });
                    ui.close();
                }
                if !unmatched.is_empty() {
                    ui.separator();
                    ui.label(egui::RichText::new("Match an event no touchpoint matches:").weak());
                    for event in unmatched {
                        if ui.button(event).clicked() {
                            actions.push(Action::Fix(Fix::AddMatcher {
                                touchpoint,
                                event: event.clone(),
                            }));
                            ui.close();
                        }
                    }
                }
            });
        }
    }
}

/// The touchpoints of a missing link's count badge, `missing-FROM-TO-count`.
fn missing_link(id: &str) -> Option<(TouchpointId, TouchpointId)> {
    let rest = id.strip_prefix("missing-")?.strip_suffix("-count")?;
    let (from, to) = rest.split_once('-')?;
    Some((TouchpointId(from.parse().ok()?), TouchpointId(to.parse().ok()?)))
}

/// The rounded box drawn just before a text saying `text`: a pill.
fn pill_saying(shapes: &[Shape], text: &str) -> Option<crate::layout::Rect> {
    shapes.windows(2).find_map(|w| match (&w[0], &w[1]) {
        (Shape::Rect { rect, .. }, Shape::Text(block)) if block.lines.iter().any(|l| l == text) => Some(*rect),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_badges_name_their_path() {
        assert_eq!(
            missing_link("missing-12-40-count"),
            Some((TouchpointId(12), TouchpointId(40)))
        );
        assert_eq!(missing_link("missing-12-40"), None);
        assert_eq!(missing_link("drop-off-3"), None);
    }
}
