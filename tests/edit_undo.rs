//! Random editing sessions: undoing everything gives back the original map
//! exactly, redoing everything gives back the edited one, and no operation
//! ever leaves the map with a problem `check` would report.

use journeymap::edit::{Document, ops};
use journeymap::model::{Idea, IdeaKind, IdeaRef, JourneyMap, StageId, TouchpointId, format, templates, validate};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    AddStage(usize),
    RenameStage(usize, String),
    MoveStage(usize, usize),
    DeleteStage(usize),
    AddTouchpoint(usize),
    EditTouchpoint(usize, String, i8),
    MoveTouchpoint(usize, usize, usize),
    DeleteTouchpoints(Vec<usize>),
    Duplicate(Vec<usize>),
    CopyPaste(Vec<usize>, usize),
    Connect(usize, usize),
    DeleteLink(usize),
    AddNote(usize),
    Capture(usize, u8),
    Vote(usize, i8),
    SwitchFunnel(usize),
    TypeTitle(String),
    Undo,
    Redo,
}

fn op() -> impl Strategy<Value = Op> {
    let i = || 0usize..64;
    prop_oneof![
        i().prop_map(Op::AddStage),
        (i(), 0u8..3).prop_map(|(a, k)| Op::Capture(a, k)),
        (i(), -2i8..3).prop_map(|(a, d)| Op::Vote(a, d)),
        (i(), "[a-zA-Ząęłżậếụ ]{0,8}").prop_map(|(a, b)| Op::RenameStage(a, b)),
        (i(), i()).prop_map(|(a, b)| Op::MoveStage(a, b)),
        i().prop_map(Op::DeleteStage),
        i().prop_map(Op::AddTouchpoint),
        (i(), "[a-z ]{0,6}", -3i8..4).prop_map(|(a, b, c)| Op::EditTouchpoint(a, b, c)),
        (i(), i(), i()).prop_map(|(a, b, c)| Op::MoveTouchpoint(a, b, c)),
        prop::collection::vec(i(), 1..4).prop_map(Op::DeleteTouchpoints),
        prop::collection::vec(i(), 1..3).prop_map(Op::Duplicate),
        (prop::collection::vec(i(), 1..3), i()).prop_map(|(a, b)| Op::CopyPaste(a, b)),
        (i(), i()).prop_map(|(a, b)| Op::Connect(a, b)),
        i().prop_map(Op::DeleteLink),
        i().prop_map(Op::AddNote),
        i().prop_map(Op::SwitchFunnel),
        "[a-z]{0,5}".prop_map(Op::TypeTitle),
        Just(Op::Undo),
        Just(Op::Redo),
    ]
}

fn stage(map: &JourneyMap, i: usize) -> Option<StageId> {
    (!map.stages.is_empty()).then(|| map.stages[i % map.stages.len()].id)
}

fn tp(map: &JourneyMap, i: usize) -> Option<TouchpointId> {
    (!map.touchpoints.is_empty()).then(|| map.touchpoints[i % map.touchpoints.len()].id)
}

fn run(doc: &mut Document, op: Op) {
    let map = doc.map();
    let edit = match op {
        Op::Undo => {
            doc.undo();
            return;
        }
        Op::Redo => {
            doc.redo();
            return;
        }
        Op::TypeTitle(t) => {
            let title = format!("{}{t}", doc.map().title);
            doc.apply_merging("Edit title", "title", journeymap::edit::Edit::SetTitle(title))
                .unwrap();
            return;
        }
        Op::AddStage(i) => Some(ops::add_stage(map, i % (map.stages.len() + 1), "New stage")),
        Op::RenameStage(i, name) => stage(map, i).and_then(|s| ops::update_stage(map, s, |s| s.name = name)),
        Op::MoveStage(i, to) => stage(map, i).and_then(|s| ops::move_stage(map, s, to % map.stages.len())),
        Op::DeleteStage(i) => stage(map, i).and_then(|s| ops::delete_stages(map, &[s])),
        Op::AddTouchpoint(i) => stage(map, i).and_then(|s| ops::add_touchpoint(map, s, "New touchpoint")),
        Op::EditTouchpoint(i, name, emotion) => tp(map, i).and_then(|t| {
            ops::update_touchpoint(map, t, |t| {
                t.name = name;
                t.emotion = emotion.clamp(-2, 2);
                t.pain_points.push(Idea::new("slow"));
            })
        }),
        Op::MoveTouchpoint(i, s, pos) => tp(map, i)
            .zip(stage(map, s))
            .and_then(|(t, s)| ops::move_touchpoint(map, t, s, pos % 8)),
        Op::DeleteTouchpoints(is) => {
            let ids: Vec<_> = is.iter().filter_map(|&i| tp(map, i)).collect();
            ops::delete_touchpoints(map, &ids)
        }
        Op::Duplicate(is) => {
            let ids: Vec<_> = is.iter().filter_map(|&i| tp(map, i)).collect();
            ops::duplicate(map, &ids).map(|(e, _)| e)
        }
        Op::CopyPaste(is, s) => {
            let ids: Vec<_> = is.iter().filter_map(|&i| tp(map, i)).collect();
            let clip = ops::copy(map, &ids);
            stage(map, s).and_then(|s| ops::paste(map, &clip, s)).map(|(e, _)| e)
        }
        Op::Connect(a, b) => tp(map, a).zip(tp(map, b)).and_then(|(a, b)| ops::connect(map, a, b)),
        Op::DeleteLink(i) => (!map.links.is_empty())
            .then(|| map.links[i % map.links.len()].id)
            .and_then(|l| ops::delete_links(map, &[l])),
        Op::AddNote(i) => stage(map, i).and_then(|s| ops::add_note(map, s, "Ask about delivery times")),
        Op::Capture(i, k) => {
            stage(map, i).and_then(|s| ops::capture(map, s, IdeaKind::ALL[k as usize], "Gọi lại ngay"))
        }
        Op::Vote(i, delta) => {
            let ideas = journeymap::model::idea::all(map);
            let target = (!ideas.is_empty()).then(|| ideas[i % ideas.len()].target);
            target.and_then(|t| ops::vote(map, t, delta.into()))
        }
        Op::SwitchFunnel(i) => {
            let t = &templates::TEMPLATES[i % templates::TEMPLATES.len()];
            Some(ops::set_funnel(map, t.funnel()))
        }
    };
    if let Some(edit) = edit {
        doc.apply("edit", edit).expect("ops build edits that fit the map");
    }
}

fn start_map() -> JourneyMap {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_maps/ecommerce_tofu_mofu_bofu.ron");
    format::load(&path).unwrap_or_else(|_| templates::find("digital-8").unwrap().new_map("Start"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn undoing_everything_restores_the_original(ops in prop::collection::vec(op(), 1..40)) {
        let original = start_map();
        let mut doc = Document::new(original.clone());
        for op in ops {
            run(&mut doc, op);
            let problems = validate::check(doc.map());
            prop_assert!(problems.is_empty(), "{problems:?}");
        }
        let edited = doc.map().clone();
        let mut undone = 0;
        while doc.undo().is_some() {
            undone += 1;
        }
        prop_assert_eq!(doc.map(), &original);
        prop_assert!(!doc.is_modified());
        for _ in 0..undone {
            prop_assert!(doc.redo().is_some());
        }
        prop_assert_eq!(doc.map(), &edited);
    }
}

#[test]
fn moving_a_touchpoint_to_another_stage_puts_it_at_the_asked_position() {
    let map = templates::find("basic").unwrap().new_map("t");
    let mut doc = Document::new(map);
    let (s0, s1) = (doc.map().stages[0].id, doc.map().stages[1].id);
    for (stage, name) in [(s0, "a"), (s0, "b"), (s1, "c"), (s1, "d")] {
        let edit = ops::add_touchpoint(doc.map(), stage, name).unwrap();
        doc.apply("add", edit).unwrap();
    }
    let a = doc.map().touchpoints[0].id;
    let edit = ops::move_touchpoint(doc.map(), a, s1, 1).unwrap();
    doc.apply("move", edit).unwrap();
    let names = |s| doc.map().touchpoints_in(s).map(|t| t.name.as_str()).collect::<Vec<_>>();
    assert_eq!(names(s0), ["b"]);
    assert_eq!(names(s1), ["c", "a", "d"]);
}

#[test]
fn deleting_a_stage_takes_its_touchpoints_and_their_links_in_one_step() {
    let mut doc = Document::new(start_map());
    let before = doc.map().clone();
    let stage = doc.map().stages[1].id;
    let gone: Vec<_> = doc.map().touchpoints_in(stage).map(|t| t.id).collect();
    assert!(!gone.is_empty());
    let edit = ops::delete_stages(doc.map(), &[stage]).unwrap();
    doc.apply("Delete stage", edit).unwrap();
    assert!(doc.map().stage(stage).is_none());
    assert!(
        doc.map()
            .links
            .iter()
            .all(|l| !gone.contains(&l.from) && !gone.contains(&l.to))
    );
    assert!(validate::check(doc.map()).is_empty());
    doc.undo();
    assert_eq!(*doc.map(), before);
}

#[test]
fn each_vote_is_one_undo_step_and_votes_never_go_below_none() {
    let mut doc = Document::new(templates::TEMPLATES[0].new_map("Votes"));
    let stage = doc.map().stages[0].id;
    doc.apply(
        "Capture",
        ops::capture(doc.map(), stage, IdeaKind::PainPoint, "Too slow").unwrap(),
    )
    .unwrap();
    assert!(
        ops::capture(doc.map(), stage, IdeaKind::Note, "   ").is_none(),
        "blank text captures nothing"
    );
    let note = doc.map().stages[0].notes.last().unwrap().id;
    let target = IdeaRef::Note { stage, note };
    for _ in 0..3 {
        doc.apply("Vote", ops::vote(doc.map(), target, 1).unwrap()).unwrap();
    }
    let votes = |doc: &Document| journeymap::model::idea::votes(doc.map(), target).unwrap();
    assert_eq!(votes(&doc), 3);
    doc.undo();
    assert_eq!(votes(&doc), 2);
    doc.apply("Unvote", ops::vote(doc.map(), target, -5).unwrap()).unwrap();
    assert_eq!(votes(&doc), 0);
    assert!(ops::vote(doc.map(), target, -1).is_none(), "nothing to take back");
    let ranked = journeymap::model::idea::ranked(doc.map());
    assert!(ranked.is_empty(), "an idea without votes is not in the ranking");
}
