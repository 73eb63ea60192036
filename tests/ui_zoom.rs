//! Semantic zoom, driven headless in a 1440×900 window: a large map fits
//! as its overview with every stage and card readable; zooming out of the
//! full form switches to the overview and zooming in switches back, each
//! time with the stage or card under the pointer still under it.

mod common;

use common::{Picker, scratch};
use eframe::egui::{self, Event, Key, Modifiers, Pos2, Rect};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use journeymap::layout::{Form, compact};
use journeymap::model::JourneyMap;
use journeymap::ui::{Config, Document, JourneyApp};

fn open(name: &str, sample: &str) -> (Harness<'static, JourneyApp>, JourneyMap) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample_maps")
        .join(sample);
    let doc = Document::open(&path).unwrap();
    let map = doc.map().clone();
    let config = Config {
        picker: Box::new(Picker::default()),
        state_dir: scratch(name),
        autosave_seconds: 3600.0,
    };
    let mut harness = Harness::builder()
        .with_size([1440.0, 900.0])
        .with_step_dt(1.0 / 60.0)
        // A hovered stage header fades in its story's tooltip over a few frames.
        .with_max_steps(30)
        .build_eframe(move |cc| JourneyApp::with_config(&cc.egui_ctx, Ok(doc), config));
    harness.run();
    (harness, map)
}

/// Text painted last frame: its words, font size in pixels, and where.
fn painted_text(harness: &Harness<'static, JourneyApp>) -> Vec<(String, f32, Rect)> {
    fn walk(shape: &egui::Shape, clip: Rect, out: &mut Vec<(String, f32, Rect)>) {
        match shape {
            egui::Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, clip, out)),
            egui::Shape::Text(text) => {
                let rect = text.galley.rect.translate(text.pos.to_vec2());
                let size = text.galley.job.sections.first().map_or(0.0, |s| s.format.font_id.size);
                if clip.intersects(rect) {
                    out.push((text.galley.text().to_owned(), size, rect));
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for clipped in &harness.output().shapes {
        walk(&clipped.shape, clipped.clip_rect, &mut out);
    }
    out
}

/// Whether a line painted inside `area` at `min_size` pixels or more begins
/// `name` (a line of it, or all of it cut short with `…`).
fn shows(text: &[(String, f32, Rect)], name: &str, area: Rect, min_size: f32) -> bool {
    text.iter().any(|(line, size, rect)| {
        let kept = line.trim_end_matches('…').trim();
        *size >= min_size && !kept.is_empty() && name.starts_with(kept) && area.expand(2.0).contains_rect(*rect)
    })
}

fn fit(harness: &mut Harness<'static, JourneyApp>) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    harness.run();
}

fn hide_inspector(harness: &mut Harness<'static, JourneyApp>) {
    harness.get_by_label("Hide inspector").click();
    harness.run();
}

#[test]
fn fit_shows_every_stage_name_and_touchpoint_title_at_a_readable_size() {
    let (mut h, map) = open("zoom-fit", "vi_dien_may_8_buoc.ron");
    // As the app opens: the inspector beside the canvas. Then hidden, larger.
    fit(&mut h);
    assert_eq!(h.state().canvas_view().0, Form::Compact);
    all_readable(&h, &map);
    let with_inspector = h.state().canvas_view().1;
    hide_inspector(&mut h);
    fit(&mut h);
    assert!(
        h.state().canvas_view().1 > with_inspector,
        "the canvas takes the inspector's room"
    );
    all_readable(&h, &map);
}

fn all_readable(h: &Harness<'static, JourneyApp>, map: &JourneyMap) {
    let text = painted_text(h);
    let screen = Rect::from_min_size(Pos2::ZERO, egui::vec2(1440.0, 900.0));
    for stage in &map.stages {
        let header = h.get_by_label(&stage.name).rect();
        assert!(screen.contains_rect(header), "{} is on screen", stage.name);
        assert!(
            shows(&text, &stage.name, header, 11.0),
            "stage {:?} readable",
            stage.name
        );
    }
    for tp in &map.touchpoints {
        let card = h.get_by_label(&tp.name).rect();
        assert!(screen.contains_rect(card), "{} is on screen", tp.name);
        assert!(shows(&text, &tp.name, card, 11.0), "touchpoint {:?} readable", tp.name);
    }
}

#[test]
fn a_newly_opened_map_shows_whole_stages() {
    let (h, map) = open("zoom-open", "vi_dien_may_8_buoc.ron");
    let (form, zoom) = h.state().canvas_view();
    assert_eq!(
        form,
        Form::Compact,
        "the full form of 30 touchpoints does not read whole"
    );
    // A stage is whole when its header and each of its cards show unclipped.
    let whole = |stage: &journeymap::model::Stage| {
        let Some(header) = h.query_by_label(&stage.name) else {
            return false;
        };
        let cards_whole = map.touchpoints.iter().filter(|t| t.stage == stage.id).all(|t| {
            h.query_by_label(&t.name).is_some_and(|n| {
                let r = n.rect();
                (r.width() - compact::CARD_WIDTH * zoom).abs() < 1.5
                    && (r.height() - compact::CARD_HEIGHT * zoom).abs() < 1.5
            })
        });
        (header.rect().width() - compact::STAGE_WIDTH * zoom).abs() < 1.5 && cards_whole
    };
    let shown = map.stages.iter().filter(|s| whole(s)).count();
    // With the inspector open beside it, every stage still shows.
    assert_eq!(shown, map.stages.len(), "whole stages on opening");
}

/// Zooms with the wheel (ctrl+scroll, a pinch) around `at` until the canvas
/// shows `form`; how many steps that took.
fn zoom_until(h: &mut Harness<'static, JourneyApp>, at: Pos2, factor: f32, form: Form) -> usize {
    for step in 1..=40 {
        h.event(Event::PointerMoved(at));
        h.event(Event::Zoom(factor));
        h.run();
        if h.state().canvas_view().0 == form {
            return step;
        }
    }
    panic!("no switch to {form:?}: {:?}", h.state().canvas_view());
}

#[test]
fn zooming_out_shows_the_overview_and_zooming_in_the_full_form_under_the_pointer() {
    let (mut h, map) = open("zoom-switch", "vi_dien_may_8_buoc.ron");
    hide_inspector(&mut h);
    // Actual size: the full form.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    h.run();
    assert_eq!(h.state().canvas_view(), (Form::Full, 1.0));

    // Zoom out with the pointer on a stage header.
    let stage = map
        .stages
        .iter()
        .find(|s| h.query_by_label(&s.name).is_some_and(|n| n.rect().width() > 300.0))
        .expect("a stage shows at 100%");
    let at = h.get_by_label(&stage.name).rect().center();
    let steps = zoom_until(&mut h, at, 0.9, Form::Compact);
    assert!(steps > 1, "not at the first step out");
    let (_, zoom) = h.state().canvas_view();
    assert!(zoom * 12.0 < 7.5, "switched where the lanes stop reading: {zoom}");
    h.run();
    assert!(
        h.get_by_label(&stage.name).rect().expand(1.0).contains(at),
        "the stage stays under the pointer"
    );

    // Zoom back in over one of its cards: the full form, that card under the pointer.
    let tp = map.touchpoints.iter().find(|t| t.stage == stage.id).unwrap();
    let at = h.get_by_label(&tp.name).rect().center();
    zoom_until(&mut h, at, 1.1, Form::Full);
    h.run();
    assert!(h.state().canvas_view().1 >= 1.0);
    assert!(
        h.get_by_label(&tp.name).rect().expand(1.0).contains(at),
        "the card stays under the pointer"
    );

    // The keyboard zooms around the middle and switches the same way.
    for _ in 0..4 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
        h.run();
    }
    assert_eq!(h.state().canvas_view().0, Form::Compact);
    for _ in 0..4 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Equals);
        h.run();
    }
    assert_eq!(h.state().canvas_view().0, Form::Full);
}

#[test]
fn a_small_map_fits_in_its_full_form() {
    let doc = common::template("aida", "Small");
    let config = Config {
        picker: Box::new(Picker::default()),
        state_dir: scratch("zoom-small"),
        autosave_seconds: 3600.0,
    };
    let mut h = Harness::builder()
        .with_size([1440.0, 900.0])
        .build_eframe(move |cc| JourneyApp::with_config(&cc.egui_ctx, Ok(doc), config));
    h.run();
    fit(&mut h);
    let (form, zoom) = h.state().canvas_view();
    assert_eq!(form, Form::Full);
    assert!(zoom * 12.0 >= 7.0, "its lane text reads: {zoom}");
    h.get_by_label("Attention");
}

#[test]
fn cards_dragged_in_the_overview_land_where_they_are_dropped() {
    let (mut h, map) = open("zoom-drag", "vi_dien_may_8_buoc.ron");
    hide_inspector(&mut h);
    fit(&mut h);
    let stage = map.stages[0].id;
    let members: Vec<_> = map.touchpoints.iter().filter(|t| t.stage == stage).collect();
    assert!(members.len() >= 3);
    let (first, third) = (&members[0], &members[2]);
    let from = h.get_by_label(&first.name).rect().center();
    let below = h.get_by_label(&third.name).rect();
    let to = egui::pos2(below.center().x, below.max.y - 2.0);
    h.drag_at(from);
    h.run();
    for i in 1..=10 {
        h.event(Event::PointerMoved(from + (to - from) * (i as f32 / 10.0)));
        h.step();
    }
    h.drop_at(to);
    h.run();
    let m = common::map(&h);
    let order: Vec<&str> = m
        .touchpoints
        .iter()
        .filter(|t| t.stage == stage)
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(order[2], first.name, "{order:?}");
    assert_eq!(order[0], members[1].name);
}

#[test]
fn a_card_that_cuts_its_title_short_shows_it_whole_on_hover() {
    let (mut h, map) = open("zoom-hover", "vi_dien_may_8_buoc.ron");
    fit(&mut h);
    assert_eq!(h.state().canvas_view().0, Form::Compact);
    // The longest title is cut on its overview card.
    let tp = map.touchpoints.iter().max_by_key(|t| t.name.chars().count()).unwrap();
    let card = h.get_by_label(&tp.name).rect();
    assert!(
        !painted_text(&h)
            .iter()
            .any(|(text, _, _)| text.contains(tp.name.as_str())),
        "{:?} is drawn whole, so this proves nothing",
        tp.name
    );
    h.event(Event::PointerMoved(card.center()));
    for _ in 0..60 {
        h.step();
    }
    // Its title whole, then the channel line.
    h.get_by_label_contains(&format!("{}\n", tp.name));
    h.get_by_label_contains(&format!("{} · ", tp.channel.label()));
}
