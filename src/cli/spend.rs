//! `journeymap import-spend`: an ad spend report into the database, and the
//! `--preset` mappings of both import commands.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use super::data::{fail, print_summary};
use crate::store::{
    self, ColumnMapping, Database, DialectChoice, ImportOptions, PresetKind, SpendMapping, SpendRole, StageDates,
    StoreError, Zone,
};

#[derive(Debug, PartialEq, Default)]
pub struct SpendArgs {
    pub file: PathBuf,
    pub db: PathBuf,
    pub columns: Option<String>,
    /// The channel of every row, for a report of one platform.
    pub channel: Option<String>,
    pub preset: Option<String>,
    pub tz: Option<String>,
    pub strict: bool,
    pub replace: bool,
    pub append: bool,
    pub json: bool,
    /// The sheet of a spreadsheet (`--sheet`).
    pub sheet: Option<String>,
    /// Forced parts of a CSV report's dialect (`--encoding`, `--delimiter`,
    /// `--decimal-comma`, `--skip-lines`).
    pub dialect: DialectChoice,
}

/// The header of `file` (of `sheet`, for a spreadsheet), for a preset whose
/// roles depend on it; a CSV file read in `dialect` where forced.
fn header(file: &Path, sheet: Option<&str>, dialect: &DialectChoice) -> Result<Vec<String>, StoreError> {
    if store::is_spreadsheet(file) {
        return Ok(store::preview_sheet(file, sheet, 0, dialect.skip_lines)?.preview.header);
    }
    Ok(store::preview(file, 0, dialect)?.header)
}

/// The events mapping of preset `name` for `file`, and for a file of one row
/// per person its stage date columns.
pub(super) fn preset_columns(
    name: &str,
    file: &Path,
    sheet: Option<&str>,
    dialect: &DialectChoice,
) -> Result<(ColumnMapping, Option<StageDates>), StoreError> {
    let preset = store::preset(name)?;
    let header = header(file, sheet, dialect)?;
    if preset.kind == PresetKind::StageDates {
        let (columns, stages) = preset.stage_mapping(&header, file)?;
        return Ok((columns, Some(stages)));
    }
    Ok((preset.event_mapping(&header, file)?, None))
}

pub fn import_spend(args: &SpendArgs) -> ExitCode {
    let mut mapping = SpendMapping::default();
    if let Some(name) = &args.preset {
        let header =
            |p: &store::Preset| p.spend_mapping(&header(&args.file, args.sheet.as_deref(), &args.dialect)?, &args.file);
        match store::preset(name).and_then(header) {
            Ok(m) => mapping = m,
            Err(err) => return fail(err),
        }
    }
    if let Some(spec) = &args.columns {
        match SpendMapping::parse(spec) {
            Ok(given) => {
                for role in SpendRole::ALL {
                    if let Some(c) = given.get(role) {
                        mapping.set(role, Some(c.to_owned()));
                    }
                }
            }
            Err(err) => return fail(err),
        }
    }
    if let Some(channel) = &args.channel {
        mapping.fixed_channel = Some(channel.clone());
        // One channel for the whole report, unless a channel column is named.
        if args.columns.as_deref().is_none_or(|c| !c.contains("channel=")) {
            mapping.channel = Some(String::new());
        }
    }
    let mut options = ImportOptions::default();
    if let Some(tz) = &args.tz {
        match tz.parse::<Zone>() {
            Ok(zone) => options.zone = zone,
            Err(problem) => return fail(StoreError::BadZone { problem }),
        }
    }
    options.strict = args.strict;
    options.replace = args.replace;
    options.append = args.append;
    options.dialect = args.dialect;
    options.sheet = args.sheet.clone();
    let mut db = match Database::open(&args.db) {
        Ok(db) => db,
        Err(err) => return fail(err),
    };
    match store::import_spend(
        &mut db,
        &args.file,
        &mapping,
        &options,
        &mut |_| {},
        &AtomicBool::new(false),
    ) {
        Ok(summary) => {
            print_summary(&summary, args.json, false);
            ExitCode::SUCCESS
        }
        Err(StoreError::StrictRejected { summary, .. }) => {
            print_summary(&summary, args.json, true);
            ExitCode::FAILURE
        }
        Err(err) => fail(err),
    }
}
