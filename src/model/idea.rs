//! What a workshop room adds to a map: pain points, opportunities and notes,
//! each with the dot votes it got, and the ranking of them across the map.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

use super::ids::{NoteId, StageId, TouchpointId};
use super::map::JourneyMap;

/// A pain point or opportunity of a touchpoint.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Idea {
    pub text: String,
    /// Dot votes from a workshop.
    pub votes: u32,
}

/// An idea without votes is written as its bare text, as version 1 wrote
/// every idea, so maps nobody voted on read the same as before; one with
/// votes as `(text: "...", votes: 3)`.
impl Serialize for Idea {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.votes == 0 {
            return serializer.serialize_str(&self.text);
        }
        let mut s = serializer.serialize_struct("Idea", 2)?;
        s.serialize_field("text", &self.text)?;
        s.serialize_field("votes", &self.votes)?;
        s.end()
    }
}

impl Idea {
    pub fn new(text: impl Into<String>) -> Idea {
        Idea {
            text: text.into(),
            votes: 0,
        }
    }
}

impl From<&str> for Idea {
    fn from(text: &str) -> Idea {
        Idea::new(text)
    }
}

/// Reads `(text: "...", votes: 2)` and, as format version 1 wrote pain points
/// and opportunities, a bare `"..."`. Unknown fields are refused, as
/// everywhere in the map file.
impl<'de> Deserialize<'de> for Idea {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Idea, D::Error> {
        struct IdeaVisitor;
        const FIELDS: &[&str] = &["text", "votes"];

        impl<'de> Visitor<'de> for IdeaVisitor {
            type Value = Idea;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a text, or `(text: \"...\", votes: N)`")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Idea, E> {
                Ok(Idea::new(text))
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<Idea, E> {
                Ok(Idea::new(text))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Idea, A::Error> {
                let (mut text, mut votes) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "text" if text.is_none() => text = Some(map.next_value::<String>()?),
                        "votes" if votes.is_none() => votes = Some(map.next_value::<u32>()?),
                        "text" | "votes" => return Err(de::Error::custom(format!("duplicate field `{key}`"))),
                        _ => return Err(de::Error::unknown_field(&key, FIELDS)),
                    }
                }
                Ok(Idea {
                    text: text.ok_or_else(|| de::Error::missing_field("text"))?,
                    votes: votes.unwrap_or(0),
                })
            }
        }
        deserializer.deserialize_any(IdeaVisitor)
    }
}

/// What a stage's note is: a plain note, or a pain point or opportunity the
/// room raised about the stage as a whole.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IdeaKind {
    #[default]
    Note,
    PainPoint,
    Opportunity,
}

impl IdeaKind {
    pub const ALL: [IdeaKind; 3] = [IdeaKind::PainPoint, IdeaKind::Opportunity, IdeaKind::Note];

    pub fn label(self) -> &'static str {
        match self {
            IdeaKind::Note => "Note",
            IdeaKind::PainPoint => "Pain point",
            IdeaKind::Opportunity => "Opportunity",
        }
    }

    pub fn is_note(&self) -> bool {
        *self == IdeaKind::Note
    }
}

/// Where an idea lives in the map, for voting on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IdeaRef {
    /// A note (of any kind) on a stage.
    Note { stage: StageId, note: NoteId },
    /// The pain point at `index` of a touchpoint.
    PainPoint { touchpoint: TouchpointId, index: usize },
    /// The opportunity at `index` of a touchpoint.
    Opportunity { touchpoint: TouchpointId, index: usize },
}

/// One idea of the map with where it lives, for lists and slides.
#[derive(Clone, Debug, PartialEq)]
pub struct Listed<'a> {
    pub target: IdeaRef,
    pub kind: IdeaKind,
    pub text: &'a str,
    pub votes: u32,
    /// The stage it belongs to (a touchpoint's ideas, its touchpoint's stage).
    pub stage: StageId,
    pub touchpoint: Option<TouchpointId>,
}

/// Every idea of the map in map order: stage by stage, the touchpoints' pain
/// points and opportunities, then the stage's notes.
pub fn all(map: &JourneyMap) -> Vec<Listed<'_>> {
    let mut out = Vec::new();
    for stage in &map.stages {
        for tp in map.touchpoints_in(stage.id) {
            let touchpoint = Some(tp.id);
            for (index, idea) in tp.pain_points.iter().enumerate() {
                out.push(Listed {
                    target: IdeaRef::PainPoint {
                        touchpoint: tp.id,
                        index,
                    },
                    kind: IdeaKind::PainPoint,
                    text: &idea.text,
                    votes: idea.votes,
                    stage: stage.id,
                    touchpoint,
                });
            }
            for (index, idea) in tp.opportunities.iter().enumerate() {
                out.push(Listed {
                    target: IdeaRef::Opportunity {
                        touchpoint: tp.id,
                        index,
                    },
                    kind: IdeaKind::Opportunity,
                    text: &idea.text,
                    votes: idea.votes,
                    stage: stage.id,
                    touchpoint,
                });
            }
        }
        for note in &stage.notes {
            out.push(Listed {
                target: IdeaRef::Note {
                    stage: stage.id,
                    note: note.id,
                },
                kind: note.kind,
                text: &note.text,
                votes: note.votes,
                stage: stage.id,
                touchpoint: None,
            });
        }
    }
    out
}

/// The ideas that got votes, most votes first; ties keep map order.
pub fn ranked(map: &JourneyMap) -> Vec<Listed<'_>> {
    let mut voted: Vec<Listed> = all(map).into_iter().filter(|i| i.votes > 0).collect();
    voted.sort_by_key(|i| std::cmp::Reverse(i.votes));
    voted
}

/// The votes an idea has now, if it exists.
pub fn votes(map: &JourneyMap, target: IdeaRef) -> Option<u32> {
    match target {
        IdeaRef::Note { stage, note } => map.stage(stage)?.notes.iter().find(|n| n.id == note).map(|n| n.votes),
        IdeaRef::PainPoint { touchpoint, index } => map.touchpoint(touchpoint)?.pain_points.get(index).map(|i| i.votes),
        IdeaRef::Opportunity { touchpoint, index } => {
            map.touchpoint(touchpoint)?.opportunities.get(index).map(|i| i.votes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_idea_reads_from_a_bare_text_or_with_votes_and_refuses_unknown_fields() {
        let ideas: Vec<Idea> = ron::from_str(r#"["old", (text: "new", votes: 3), (text: "none")]"#).unwrap();
        assert_eq!(
            ideas,
            vec![
                Idea::new("old"),
                Idea {
                    text: "new".into(),
                    votes: 3
                },
                Idea::new("none")
            ]
        );
        let err = ron::from_str::<Vec<Idea>>(r#"[(text: "x", vote: 3)]"#).unwrap_err();
        assert!(err.to_string().contains("vote"), "{err}");
        assert!(ron::from_str::<Vec<Idea>>(r#"[(votes: 3)]"#).is_err());
    }

    #[test]
    fn an_idea_without_votes_is_written_as_its_text() {
        let ideas = vec![
            Idea::new("a"),
            Idea {
                text: "b".into(),
                votes: 2,
            },
        ];
        let text = ron::to_string(&ideas).unwrap();
        assert_eq!(text, r#"["a",(text:"b",votes:2)]"#);
        assert_eq!(ron::from_str::<Vec<Idea>>(&text).unwrap(), ideas);
    }
}
