//! Presentation mode: slides drawn big for the room, stepped by clicker
//! keys, speaker notes in their own window, ideas and votes captured on the
//! slide into the map, and back to the editor where the talk ended.

mod common;

use std::path::Path;

use common::{Picker, app, map, press, scratch, template, type_keys};
use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use journeymap::layout::style;
use journeymap::model::format;
use journeymap::model::idea::IdeaKind;
use journeymap::ui::{Config, Document, Item, JourneyApp, Selection, Slide};

fn sample(name: &str, size: [f32; 2]) -> (Harness<'static, JourneyApp>, journeymap::model::JourneyMap) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_maps").join(name);
    let doc = Document::open(&path).unwrap();
    let map = doc.map().clone();
    // Its own state folder: no offer to restore another run's work.
    let config = Config {
        picker: Box::new(Picker::default()),
        state_dir: scratch(&format!("present-{name}-{}", size[0])).join("state"),
        autosave_seconds: 3600.0,
    };
    let mut h = Harness::builder()
        .with_size(size)
        .with_max_steps(200)
        .build_eframe(move |cc| JourneyApp::with_config(&cc.egui_ctx, Ok(doc), config));
    h.run();
    (h, map)
}

fn slide(h: &Harness<'static, JourneyApp>) -> Slide {
    let app = h.state();
    app.presentation().unwrap().slide(app.document().unwrap().map())
}

/// Every text drawn last frame with its font size.
fn texts(h: &Harness<'static, JourneyApp>) -> Vec<(String, f32)> {
    fn walk(shape: &egui::Shape, out: &mut Vec<(String, f32)>) {
        match shape {
            egui::Shape::Text(t) => {
                if let Some(section) = t.galley.job.sections.first() {
                    out.push((t.galley.job.text.clone(), section.format.font_id.size));
                }
            }
            egui::Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for clipped in &h.output().shapes {
        walk(&clipped.shape, &mut out);
    }
    out
}

fn size_of(texts: &[(String, f32)], text: &str) -> f32 {
    texts
        .iter()
        .find(|(t, _)| t == text)
        .unwrap_or_else(|| panic!("{text:?} is not drawn"))
        .1
}

#[test]
fn clicker_keys_step_title_stages_overview_decided_and_esc_returns_to_the_last_stage() {
    for (sample_name, size) in [
        ("pl_oprogramowanie_b2b.ron", [1920.0, 1080.0]),
        ("vi_dien_may_8_buoc.ron", [1366.0, 768.0]),
    ] {
        let (mut h, map) = sample(sample_name, size);
        h.get_by_label("File");
        h.key_press(Key::F5);
        h.run();
        assert!(h.query_by_label("File").is_none(), "editing chrome is hidden");
        assert_eq!(slide(&h), Slide::Title);
        h.get_by_label(&map.title);

        let n = map.stages.len();
        for (i, stage) in map.stages.iter().enumerate() {
            // Clickers send PageDown; a keyboard, Space or the arrows.
            h.key_press([Key::PageDown, Key::Space, Key::ArrowRight][i % 3]);
            h.run();
            assert_eq!(slide(&h), Slide::Stage(i));
            h.get_by_label(&format!("Stage {} of {n}", i + 1));
            h.get_by_label(&stage.name);
            let first = map.touchpoints_in(stage.id).next().unwrap();
            h.get_by_label(&first.name);
        }
        h.key_press(Key::PageDown);
        h.run();
        assert_eq!(slide(&h), Slide::Overview);
        h.key_press(Key::PageDown);
        h.run();
        assert_eq!(slide(&h), Slide::Decided);
        h.get_by_label("What we decided");
        // Past the end it stays on the end; Home and End jump.
        h.key_press(Key::PageDown);
        h.run();
        assert_eq!(slide(&h), Slide::Decided);
        h.key_press(Key::Home);
        h.run();
        assert_eq!(slide(&h), Slide::Title);
        h.key_press(Key::End);
        h.run();
        h.key_press_modifiers(Modifiers::SHIFT, Key::Space);
        h.run();
        assert_eq!(slide(&h), Slide::Overview);
        h.key_press(Key::PageUp);
        h.run();
        assert_eq!(slide(&h), Slide::Stage(n - 1));
        h.key_press(Key::PageUp);
        h.run();
        assert_eq!(slide(&h), Slide::Stage(n - 2));
        // From the overview, the stage shown last is the one to go back to.
        h.key_press(Key::O);
        h.run();
        assert_eq!(slide(&h), Slide::Overview);

        h.key_press(Key::Escape);
        h.run();
        h.get_by_label("File");
        assert!(h.state().presentation().is_none());
        let last = map.stages[n - 2].id;
        assert_eq!(*h.state().selection(), Selection::only(Item::Stage(last)));
    }
}

#[test]
fn slide_text_is_at_least_twice_the_editors() {
    let (mut h, map) = sample("vi_dien_may_8_buoc.ron", [1440.0, 900.0]);
    let editor = style::CARD_TITLE_SIZE;
    h.key_press(Key::F5);
    h.run();
    let title = texts(&h);
    assert!(size_of(&title, &map.title) >= 4.0 * editor);
    for persona in &map.personas {
        assert!(size_of(&title, &persona.name) >= 2.0 * editor);
    }
    h.key_press(Key::PageDown);
    h.run();
    let drawn = texts(&h);
    let stage = &map.stages[0];
    assert!(size_of(&drawn, &stage.name) >= 3.0 * editor);
    assert!(size_of(&drawn, &stage.description) >= 2.0 * editor);
    for tp in map.touchpoints_in(stage.id) {
        assert!(size_of(&drawn, &tp.name) >= 2.0 * editor, "{}", tp.name);
    }
    // The first idea of each kind is on the slide at body size.
    let pain = &map.touchpoints_in(stage.id).next().unwrap().pain_points[0].text;
    let opportunity = &map.touchpoints_in(stage.id).next().unwrap().opportunities[0].text;
    for idea in [pain, opportunity] {
        assert!(size_of(&drawn, idea) >= 2.0 * editor, "{idea}");
    }
    // Everything drawn stays on the screen.
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1440.0, 900.0));
    for clipped in &h.output().shapes {
        if let egui::Shape::Text(t) = &clipped.shape {
            let rect = t.visual_bounding_rect();
            assert!(
                screen.expand(1.0).contains_rect(rect),
                "{:?} at {rect:?}",
                t.galley.job.text
            );
        }
    }

    h.key_press(Key::End);
    h.key_press(Key::PageUp);
    h.run();
    assert_eq!(slide(&h), Slide::Overview);
    let overview = texts(&h);
    for tp in map.touchpoints.iter().take(3) {
        assert!(size_of(&overview, &tp.name) >= 18.0, "{}", tp.name);
    }
}

#[test]
fn b_blanks_the_screen_but_typing_b_into_a_captured_idea_does_not() {
    let (mut h, before) = sample("vi_dien_may_8_buoc.ron", [1440.0, 900.0]);
    let stage = &before.stages[0];
    h.key_press(Key::F5);
    h.key_press(Key::PageDown);
    h.run();
    h.get_by_label(&stage.name);
    press(&mut h, Key::B);
    assert!(h.state().presentation().unwrap().is_black());
    assert!(
        h.query_by_label(&stage.name).is_none(),
        "nothing shows on a black screen"
    );
    press(&mut h, Key::Period);
    h.get_by_label(&stage.name);

    press(&mut h, Key::P);
    type_keys(&mut h, "bad boiler");
    let p = h.state().presentation().unwrap();
    assert!(!p.is_black());
    assert_eq!(
        slide(&h),
        Slide::Stage(0),
        "typing n, o, or space does not step the slides"
    );
    press(&mut h, Key::Enter);
    let after = map(&h);
    let note = after.stages[0].notes.last().unwrap();
    assert_eq!((note.text.as_str(), note.kind), ("bad boiler", IdeaKind::PainPoint));
    // One undo step takes it back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(map(&h).stages[0].notes, stage.notes);

    // Esc cancels a capture, and leaves only when nothing is being typed.
    press(&mut h, Key::I);
    type_keys(&mut h, "never mind");
    press(&mut h, Key::Escape);
    assert!(h.state().presentation().is_some());
    assert_eq!(map(&h).stages[0].notes, stage.notes);
}

#[test]
fn ideas_captured_and_voted_on_slides_are_saved_with_the_map() {
    let dir = scratch("present-capture");
    let file = dir.join("workshop.ron");
    let picker = Picker::default();
    *picker.save.lock().unwrap() = Some(file.clone());
    let mut h = app(template("basic", "Workshop"), picker, dir.join("state"), 3600.0);
    let stage = map(&h).stages[1].id;
    h.key_press(Key::F5);
    h.key_press(Key::PageDown);
    h.key_press(Key::PageDown);
    h.run();
    assert_eq!(slide(&h), Slide::Stage(1));

    press(&mut h, Key::P);
    type_keys(&mut h, "Pricing page hides the VAT");
    press(&mut h, Key::Enter);
    press(&mut h, Key::I);
    type_keys(&mut h, "Show prices with VAT");
    press(&mut h, Key::Enter);
    // Numbered across the slide: the pain point is 1, the idea 2.
    press(&mut h, Key::Num2);
    for _ in 0..3 {
        h.key_press(Key::Plus);
        h.run();
    }
    h.key_press(Key::Minus);
    h.run();
    press(&mut h, Key::Num1);
    h.key_press(Key::Equals);
    h.run();
    h.get_by_label("2 votes");
    h.get_by_label("1 vote");

    // The last slide ranks them and lists what was raised.
    h.key_press(Key::End);
    h.run();
    assert_eq!(slide(&h), Slide::Decided);
    let ranked: Vec<_> = h
        .query_all_by_label("Show prices with VAT")
        .chain(h.query_all_by_label("Pricing page hides the VAT"))
        .collect();
    assert_eq!(ranked.len(), 2);
    h.get_by_label("Opportunity: Show prices with VAT");
    h.get_by_label("Pain point: Pricing page hides the VAT");

    h.key_press(Key::Escape);
    h.run();
    assert_eq!(*h.state().selection(), Selection::only(Item::Stage(stage)));
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    let saved = format::load(&file).unwrap();
    let notes: Vec<_> = saved
        .stage(stage)
        .unwrap()
        .notes
        .iter()
        .map(|n| (n.text.as_str(), n.kind, n.votes))
        .collect();
    assert_eq!(
        notes,
        [
            ("Pricing page hides the VAT", IdeaKind::PainPoint, 1),
            ("Show prices with VAT", IdeaKind::Opportunity, 2)
        ]
    );
}

#[test]
fn speaker_notes_open_in_their_own_window_never_over_the_slide() {
    let (mut h, map) = sample("vi_dien_may_8_buoc.ron", [1440.0, 900.0]);
    h.key_press(Key::F5);
    h.key_press(Key::PageDown);
    h.run();
    // A harness, like a system without a second window, would embed the
    // notes in the slide: they are not opened, and the presenter is told.
    press(&mut h, Key::N);
    assert!(!h.state().presentation().unwrap().notes_open());
    h.get_by_label("Speaker notes need a second window, which this display cannot open");
    let speaker_note = &map.stages[0].notes[0].text;
    assert_eq!(
        h.query_all_by_label(speaker_note).count(),
        1,
        "only the slide's own notes column shows it"
    );

    h.ctx.set_embed_viewports(false);
    press(&mut h, Key::N);
    assert!(h.state().presentation().unwrap().notes_open());
    let titles: Vec<_> = h
        .output()
        .viewport_output
        .values()
        .filter_map(|v| v.builder.title.clone())
        .collect();
    assert!(titles.iter().any(|t| t == "Journeymap — speaker notes"), "{titles:?}");
    press(&mut h, Key::N);
    assert!(!h.state().presentation().unwrap().notes_open());
    let still: Vec<_> = h
        .output()
        .viewport_output
        .values()
        .filter_map(|v| v.builder.title.clone())
        .collect();
    assert!(!still.iter().any(|t| t == "Journeymap — speaker notes"), "{still:?}");
}

/// Every text as it shows last frame, cut where it was cut, rows joined
/// with a newline.
fn shown(h: &Harness<'static, JourneyApp>) -> Vec<String> {
    fn walk(shape: &egui::Shape, out: &mut Vec<String>) {
        match shape {
            egui::Shape::Text(t) => out.push(
                t.galley
                    .rows
                    .iter()
                    .map(|r| r.row.glyphs.iter().map(|g| g.chr).collect::<String>())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            egui::Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for clipped in &h.output().shapes {
        walk(&clipped.shape, &mut out);
    }
    out
}

#[test]
fn a_captured_idea_shows_on_a_stage_full_of_ideas_and_can_be_picked_and_voted() {
    let (mut h, before) = sample("vi_dien_may_8_buoc.ron", [1440.0, 900.0]);
    h.key_press(Key::F5);
    h.key_press(Key::PageDown);
    h.run();
    let stage = before.stages[0].id;
    let mut last = String::new();
    for n in 1..=6 {
        last = format!("Room pain {n}");
        press(&mut h, Key::P);
        type_keys(&mut h, &last);
        press(&mut h, Key::Enter);
        h.get_by_label(&last);
    }
    // Not everything fits: the column says how many are left out.
    assert!(
        shown(&h).iter().any(|t| t.starts_with('+') && t.ends_with(" more")),
        "{:?}",
        shown(&h)
    );
    assert!(
        h.query_by_label("0 votes").is_none(),
        "ideas without votes show no count"
    );

    // Its number is the badge on its first line.
    let idea = h.get_by_label(&last).rect();
    let number = (1..=9)
        .find(|n| {
            h.query_all_by_label(&n.to_string()).any(|b| {
                let b = b.rect();
                b.right() < idea.left() && b.center().y > idea.top() && b.center().y < idea.top() + 40.0
            })
        })
        .expect("the captured idea has a number 1–9");
    let key = Key::from_name(&number.to_string()).unwrap();
    press(&mut h, key);
    h.key_press(Key::Plus);
    h.run();
    let after = map(&h);
    let note = after.stage(stage).unwrap().notes.last().unwrap();
    assert_eq!((note.text.as_str(), note.votes), (last.as_str(), 1));
    h.get_by_label(&last);
    h.get_by_label("1 vote");
}

#[test]
fn metric_values_on_stage_slides_are_never_cut() {
    for (name, size) in [
        ("vi_dien_may_8_buoc.ron", [1440.0, 900.0]),
        ("vi_dien_may_8_buoc.ron", [1024.0, 768.0]),
        ("pl_oprogramowanie_b2b.ron", [1440.0, 900.0]),
        ("b2b_saas_inbound.ron", [1366.0, 768.0]),
    ] {
        let (mut h, map) = sample(name, size);
        h.key_press(Key::F5);
        h.run();
        for stage in &map.stages {
            h.key_press(Key::PageDown);
            h.run();
            let texts = shown(&h);
            for text in &texts {
                let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
                assert!(
                    !chars.windows(2).any(|w| w[0].is_ascii_digit() && w[1] == '…'),
                    "{name} {size:?}: {text:?} is cut inside a number"
                );
            }
            let tps: Vec<_> = map.touchpoints_in(stage.id).collect();
            // Up to the cards a slide holds, all of them on these maps.
            for tp in tps.iter().take(8) {
                let Some(metric) = tp.metrics.first() else { continue };
                for number in [metric.value, metric.target].into_iter().flatten() {
                    let number = journeymap::layout::text::format_number(number, metric.unit);
                    assert!(
                        texts.iter().any(|t| t.lines().any(|l| l.contains(&number))),
                        "{name} {size:?}: {number} of {:?} is not whole on one line",
                        tp.name
                    );
                }
            }
        }
    }
}

#[test]
fn the_title_slide_shows_each_personas_goals_and_frustrations() {
    for name in ["vi_dien_may_8_buoc.ron", "pl_oprogramowanie_b2b.ron"] {
        let (mut h, map) = sample(name, [1440.0, 900.0]);
        h.key_press(Key::F5);
        h.run();
        assert!(!map.personas.is_empty());
        for persona in &map.personas {
            h.get_by_label(&persona.name);
            for first in [&persona.goals[0], &persona.frustrations[0]] {
                h.get_by_label(first);
            }
        }
        for heading in ["Goals", "Frustrations"] {
            assert_eq!(h.query_all_by_label(heading).count(), map.personas.len(), "{name}");
        }
    }
}

#[test]
fn the_most_voted_idea_stays_on_its_stage_slide_beside_a_voted_capture() {
    let (mut h, before) = sample("vi_dien_may_8_buoc.ron", [1440.0, 900.0]);
    h.key_press(Key::F5);
    h.key_press(Key::PageDown);
    h.run();
    // The room votes the first pain point up, then raises one of its own
    // and votes for that too: both show, each with its dots.
    press(&mut h, Key::Num1);
    for _ in 0..4 {
        h.key_press(Key::Plus);
        h.run();
    }
    let top = map(&h)
        .touchpoints_in(before.stages[0].id)
        .flat_map(|t| t.pain_points.clone())
        .find(|i| i.votes == 4)
        .expect("four votes on a pain point");
    press(&mut h, Key::P);
    type_keys(&mut h, "Room pain");
    press(&mut h, Key::Enter);
    h.key_press(Key::Plus);
    h.run();
    h.key_press(Key::Plus);
    h.run();
    assert!(
        h.query_by_label("4 votes").is_some() && h.query_by_label("2 votes").is_some(),
        "{:?}",
        shown(&h)
    );
    let whole = |t: &String| t.replace('\n', "");
    assert!(shown(&h).iter().any(|t| whole(t) == top.text), "{:?}", shown(&h));
}
