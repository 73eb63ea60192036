//! Column mappings of common exports, by name (`--preset`), and recognised
//! from a file's header for the import dialog.
//!
//! A preset's roles may list several columns, best first: the first one the
//! header has is used (GA4's first-touch `traffic_source.source`, else the
//! session's `collected_traffic_source.manual_source`).

use std::path::Path;

use super::StoreError;
use super::columns::{ColumnMapping, Role};
use super::spend::{SpendMapping, SpendRole};
use super::unpivot::StageDates;

/// What a preset's file becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PresetKind {
    /// `journeymap import`.
    Events,
    /// `journeymap import-spend`.
    Spend,
    /// One row per person, one date column per stage: `journeymap import`
    /// with the stage-dates reading (one event per filled date).
    StageDates,
}

#[derive(Clone, Copy, Debug)]
pub struct Preset {
    /// As given to `--preset`.
    pub name: &'static str,
    pub title: &'static str,
    pub kind: PresetKind,
    /// (role key, candidate columns best first); an empty list: no column.
    pub columns: &'static [(&'static str, &'static [&'static str])],
    /// The channel of every row, for single-platform spend reports.
    pub fixed_channel: Option<&'static str>,
    /// Columns whose presence (ignoring case) recognises the export.
    pub signature: &'static [&'static str],
}

pub const PRESETS: &[Preset] = &[
    Preset {
        name: "ga4",
        title: "GA4 BigQuery export (flattened to CSV)",
        kind: PresetKind::Events,
        columns: &[
            ("person", &["user_pseudo_id"]),
            ("time", &["event_timestamp"]),
            ("event", &["event_name"]),
            (
                "channel",
                &[
                    "traffic_source.source",
                    "collected_traffic_source.manual_source",
                    "session_traffic_source_last_click.manual_campaign.source",
                ],
            ),
            ("cost", &[]),
            ("revenue", &["ecommerce.purchase_revenue", "event_value_in_usd"]),
        ],
        fixed_channel: None,
        signature: &["user_pseudo_id", "event_timestamp", "event_name"],
    },
    Preset {
        name: "salesforce-opportunity-history",
        title: "Salesforce opportunity stage history",
        kind: PresetKind::Events,
        // Amount is the deal's size at each stage change, not money received
        // at it: kept as a property, not summed as revenue.
        columns: &[
            ("person", &["OpportunityId"]),
            ("time", &["CreatedDate"]),
            ("event", &["StageName"]),
            ("channel", &[]),
            ("cost", &[]),
            ("revenue", &[]),
        ],
        fixed_channel: None,
        signature: &["OpportunityId", "StageName", "CreatedDate"],
    },
    Preset {
        name: "hubspot-contacts",
        title: "HubSpot contacts with lifecycle stage dates",
        kind: PresetKind::StageDates,
        columns: &[
            ("person", &["Record ID", "Contact ID", "Email"]),
            ("channel", &["Original Source", "Original Traffic Source"]),
            ("Became a Subscriber Date", &["subscriber"]),
            ("Became a Lead Date", &["lead"]),
            ("Became a Marketing Qualified Lead Date", &["mql"]),
            ("Became a Sales Qualified Lead Date", &["sql"]),
            ("Became an Opportunity Date", &["opportunity"]),
            ("Became a Customer Date", &["customer"]),
            ("Became an Evangelist Date", &["evangelist"]),
        ],
        fixed_channel: None,
        signature: &["Record ID", "Became a Lead Date"],
    },
    Preset {
        name: "google-ads",
        title: "Google Ads daily report",
        kind: PresetKind::Spend,
        columns: &[
            ("day", &["Day", "Date"]),
            ("channel", &[]),
            ("cost", &["Cost"]),
            ("campaign", &["Campaign"]),
            ("impressions", &["Impressions", "Impr."]),
            ("clicks", &["Clicks"]),
            ("currency", &["Currency code", "Currency"]),
        ],
        fixed_channel: Some("google"),
        signature: &["Day", "Campaign", "Cost"],
    },
    Preset {
        name: "meta-ads",
        title: "Meta Ads daily report",
        kind: PresetKind::Spend,
        columns: &[
            ("day", &["Day", "Reporting starts"]),
            ("channel", &[]),
            (
                "cost",
                &[
                    "Amount spent (USD)",
                    "Amount spent (EUR)",
                    "Amount spent (GBP)",
                    "Amount spent (PLN)",
                    "Amount spent (VND)",
                    "Amount spent",
                ],
            ),
            ("campaign", &["Campaign name"]),
            ("impressions", &["Impressions"]),
            ("clicks", &["Link clicks"]),
            ("currency", &["Currency"]),
        ],
        fixed_channel: Some("facebook"),
        signature: &["Campaign name", "Impressions"],
    },
];

/// The preset called `name`.
pub fn preset(name: &str) -> Result<&'static Preset, StoreError> {
    PRESETS
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
        .ok_or_else(|| StoreError::BadPreset {
            problem: format!(
                "no preset '{name}'; the presets are {}",
                PRESETS.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
            ),
        })
}

/// The preset whose signature columns are all in `header`, if one is.
pub fn suggest_preset(header: &[String]) -> Option<&'static Preset> {
    let has = |c: &str| header.iter().any(|h| h.trim().eq_ignore_ascii_case(c));
    // Meta's signature is loose; a report with "Amount spent" is Meta's.
    PRESETS.iter().find(|p| {
        p.signature.iter().all(|c| has(c))
            && (p.name != "meta-ads" || header.iter().any(|h| h.trim().starts_with("Amount spent")))
    })
}

impl Preset {
    /// The first candidate of `role` that `header` has (any candidate's
    /// name when none is there, so the error names what was expected).
    fn pick(&self, role: &str, header: &[String]) -> Option<String> {
        let (_, candidates) = self.columns.iter().find(|(k, _)| *k == role)?;
        if candidates.is_empty() {
            return Some(String::new());
        }
        let found = candidates.iter().find_map(|c| {
            header
                .iter()
                .find(|h| h.trim().eq_ignore_ascii_case(c))
                .map(|h| h.trim().to_owned())
        });
        Some(found.unwrap_or_else(|| candidates[0].to_owned()))
    }

    /// The events mapping for a file with `header`.
    pub fn event_mapping(&self, header: &[String], file: &Path) -> Result<ColumnMapping, StoreError> {
        self.expect(PresetKind::Events, "journeymap import", file)?;
        let mut m = ColumnMapping::default();
        for role in Role::ALL {
            if let Some(col) = self.pick(role.key(), header) {
                // An optional column the file lacks is left out, not an error.
                let present = col.is_empty() || header.iter().any(|h| h.trim() == col);
                let optional = !role.required();
                m.set(role, Some(if present || !optional { col } else { String::new() }));
            }
        }
        Ok(m)
    }

    /// The spend mapping for a file with `header`.
    pub fn spend_mapping(&self, header: &[String], file: &Path) -> Result<SpendMapping, StoreError> {
        self.expect(PresetKind::Spend, "journeymap import-spend", file)?;
        let mut m = SpendMapping {
            fixed_channel: self.fixed_channel.map(str::to_owned),
            ..SpendMapping::default()
        };
        for role in SpendRole::ALL {
            if let Some(col) = self.pick(role.key(), header) {
                let present = col.is_empty() || header.iter().any(|h| h.trim() == col);
                let optional = !matches!(role, SpendRole::Day | SpendRole::Cost);
                m.set(role, Some(if present || !optional { col } else { String::new() }));
            }
        }
        Ok(m)
    }

    /// For a stage-dates preset: (date column, event name) pairs, best read
    /// by the stage-dates import.
    pub fn stage_dates(&self) -> Vec<(&'static str, &'static str)> {
        if self.kind != PresetKind::StageDates {
            return Vec::new();
        }
        self.columns
            .iter()
            .filter(|(k, _)| *k != "person" && *k != "channel")
            .map(|(col, event)| (*col, event[0]))
            .collect()
    }

    /// For a stage-dates preset and a file with `header`: the person and
    /// channel mapping, and the stages whose date columns the file has (an
    /// export holds only the stage columns chosen for it).
    pub fn stage_mapping(&self, header: &[String], file: &Path) -> Result<(ColumnMapping, StageDates), StoreError> {
        self.expect(PresetKind::StageDates, "journeymap import", file)?;
        let mut m = ColumnMapping::default();
        for role in Role::ALL {
            let col = self.pick(role.key(), header).unwrap_or_default();
            let present = header.iter().any(|h| h.trim() == col);
            // The time and event come from the stage columns.
            m.set(
                role,
                Some(if present || role == Role::Person {
                    col
                } else {
                    String::new()
                }),
            );
        }
        let has = |c: &str| header.iter().find(|h| h.trim().eq_ignore_ascii_case(c));
        let stages: Vec<(String, String)> = self
            .stage_dates()
            .into_iter()
            .filter_map(|(col, event)| Some((has(col)?.trim().to_owned(), event.to_owned())))
            .collect();
        if stages.is_empty() {
            return Err(StoreError::BadPreset {
                problem: format!(
                    "{}: none of the '{}' preset's stage date columns is in the header ({})",
                    file.display(),
                    self.name,
                    self.stage_dates()
                        .iter()
                        .map(|(c, _)| format!("'{c}'"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        Ok((m, StageDates(stages)))
    }

    fn expect(&self, kind: PresetKind, command: &str, file: &Path) -> Result<(), StoreError> {
        let problem = match (self.kind, kind) {
            (a, b) if a == b => return Ok(()),
            (PresetKind::StageDates, _) => format!(
                "{}: the '{}' preset ({}) has one row per contact and one date column per stage: it is read \
                 by journeymap import with the preset, as stage-dates (one event per date cell)",
                file.display(),
                self.name,
                self.title
            ),
            (PresetKind::Spend, _) => format!(
                "{}: '{}' is an ad spend report preset: use journeymap import-spend",
                file.display(),
                self.name
            ),
            (PresetKind::Events, _) => format!(
                "{}: '{}' is an events preset: use journeymap import, not {command}",
                file.display(),
                self.name
            ),
        };
        Err(StoreError::BadPreset { problem })
    }
}

#[cfg(test)]
#[path = "presets_tests.rs"]
mod tests;
