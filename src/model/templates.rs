//! The funnel models marketers already use, shipped as templates for new maps.

use chrono::Utc;

use super::color::Rgb;
use super::format::FORMAT_VERSION;
use super::ids::{FunnelStageId, PersonaId, StageId};
use super::map::{FunnelModel, FunnelStage, JourneyMap, Persona, Stage};

pub struct Template {
    /// What `--template` takes.
    pub key: &'static str,
    pub name: &'static str,
    pub stages: &'static [&'static str],
}

pub const TEMPLATES: &[Template] = &[
    Template {
        key: "basic",
        name: "Basic funnel",
        stages: &["Awareness", "Consideration", "Conversion"],
    },
    Template {
        key: "tofu-mofu-bofu",
        name: "Marketing funnel (TOFU/MOFU/BOFU)",
        stages: &[
            "TOFU: Awareness",
            "MOFU: Consideration & conversion",
            "BOFU: Activation, loyalty, advocacy",
        ],
    },
    Template {
        key: "sales",
        name: "Sales funnel",
        stages: &["MQL", "SQL", "Sales meeting", "Proposal", "Close"],
    },
    Template {
        key: "lead-lifecycle",
        name: "Lead lifecycle",
        stages: &["Visitor", "Lead", "MQL", "SQL", "Opportunity", "Customer"],
    },
    Template {
        key: "inbound",
        name: "Inbound funnel",
        stages: &[
            "Subscriber",
            "Lead",
            "Marketing qualified lead",
            "Sales qualified lead",
            "Customer",
        ],
    },
    Template {
        key: "aida",
        name: "AIDA",
        stages: &["Attention", "Interest", "Desire", "Action"],
    },
    Template {
        key: "digital-8",
        name: "Digital customer journey (8 stages)",
        stages: &[
            "Awareness",
            "Education",
            "Follow",
            "Evaluation",
            "Conversion",
            "Expansion",
            "Goodwill & trust",
            "Advocacy",
        ],
    },
];

/// Colours for funnel stages, top to bottom: cool and light at the wide top,
/// warm and strong at the narrow bottom.
const PALETTE: [Rgb; 8] = [
    Rgb(0x4e, 0x9a, 0xd6),
    Rgb(0x3f, 0xb0, 0xb8),
    Rgb(0x4c, 0xaf, 0x7d),
    Rgb(0x9b, 0xc1, 0x4a),
    Rgb(0xe9, 0xb8, 0x3a),
    Rgb(0xef, 0x8a, 0x3c),
    Rgb(0xe0, 0x5d, 0x5d),
    Rgb(0xa8, 0x5c, 0xc4),
];

pub fn find(key: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.key.eq_ignore_ascii_case(key))
}

impl Template {
    pub fn funnel(&self) -> FunnelModel {
        let n = self.stages.len();
        let stages = self
            .stages
            .iter()
            .enumerate()
            .map(|(i, name)| FunnelStage {
                id: FunnelStageId(i as u32 + 1),
                name: (*name).to_owned(),
                // Spread short funnels over the whole palette.
                color: PALETTE[if n <= 1 { 0 } else { i * (PALETTE.len() - 1) / (n - 1) }],
            })
            .collect();
        FunnelModel {
            name: self.name.to_owned(),
            stages,
        }
    }

    /// A new map: this funnel, one journey stage per funnel stage, one persona
    /// to fill in. Ready to draw on.
    pub fn new_map(&self, title: &str) -> JourneyMap {
        let funnel = self.funnel();
        let first_free = funnel.stages.len() as u32 + 1;
        let stages = funnel
            .stages
            .iter()
            .enumerate()
            .map(|(i, fs)| Stage {
                id: StageId(first_free + i as u32),
                name: fs.name.clone(),
                description: String::new(),
                funnel_stage: Some(fs.id),
                notes: Vec::new(),
            })
            .collect::<Vec<_>>();
        let now = Utc::now();
        JourneyMap {
            format_version: FORMAT_VERSION,
            title: title.to_owned(),
            description: String::new(),
            created: now,
            modified: now,
            currency: "USD".to_owned(),
            personas: vec![Persona {
                id: PersonaId(first_free + stages.len() as u32),
                name: "Primary persona".to_owned(),
                description: String::new(),
                goals: Vec::new(),
                frustrations: Vec::new(),
            }],
            funnel,
            stages,
            touchpoints: Vec::new(),
            links: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::validate::check;

    #[test]
    fn every_template_makes_a_valid_map() {
        for template in TEMPLATES {
            let map = template.new_map("Test");
            assert_eq!(check(&map), vec![], "template {}", template.key);
            assert_eq!(map.stages.len(), template.stages.len());
            assert!(map.stages.iter().all(|s| s.funnel_stage.is_some()));
        }
    }

    #[test]
    fn templates_found_by_key_in_any_case() {
        assert_eq!(find("AIDA").unwrap().stages.len(), 4);
        assert_eq!(find("digital-8").unwrap().stages.len(), 8);
        assert!(find("nope").is_none());
    }
}
