//! A deliverable's page: the title block on top, the map (with the data
//! overlay when there is data) in the middle, the legend at the foot, as one
//! scene the writers translate.

use super::frame::{self, DataSource};
use super::overlay;
use super::scene::{self, Group, Scene, Shape};
use crate::analysis::Comparison;
use crate::layout::{Layout, Rect, pos};
use crate::model::JourneyMap;

/// A title block and persona cards need a readable width even above a map
/// of one stage.
const MIN_WIDTH: f32 = 900.0;

/// The map's own scene, with the data drawn over it when there is data.
pub fn map_scene(map: &JourneyMap, layout: &Layout, comparison: Option<&Comparison>) -> Scene {
    let mut scene = scene::build_with(map, layout, comparison.is_some());
    if let Some(c) = comparison {
        scene.groups.extend(overlay::groups(map, layout, c));
    }
    scene
}

/// The whole page: title block, map, legend.
pub fn compose(map: &JourneyMap, layout: &Layout, comparison: Option<&Comparison>, data: Option<&DataSource>) -> Scene {
    let body = map_scene(map, layout, comparison);
    let width = body.size.0.max(MIN_WIDTH);
    let (mut groups, map_top) = frame::title_block(map, data, width);
    for mut group in body.groups {
        translate_group(&mut group, 0.0, map_top);
        groups.push(group);
    }
    let legend_top = map_top + body.size.1;
    let (legend, legend_height) = frame::legend(map, comparison.is_some(), width);
    for mut group in legend {
        translate_group(&mut group, 0.0, legend_top);
        groups.push(group);
    }
    Scene {
        size: (width, legend_top + legend_height),
        groups,
    }
}

/// The title block and legend alone, one above the other: the first page of
/// a paged PDF, before the map's pages.
pub fn cover(map: &JourneyMap, comparison: Option<&Comparison>, data: Option<&DataSource>, width: f32) -> Scene {
    let width = width.max(MIN_WIDTH);
    let (mut groups, top) = frame::title_block(map, data, width);
    let (legend, legend_height) = frame::legend(map, comparison.is_some(), width);
    for mut group in legend {
        translate_group(&mut group, 0.0, top);
        groups.push(group);
    }
    Scene {
        size: (width, top + legend_height),
        groups,
    }
}

fn moved(r: Rect, dx: f32, dy: f32) -> Rect {
    Rect {
        min: pos(r.min.x + dx, r.min.y + dy),
        max: pos(r.max.x + dx, r.max.y + dy),
    }
}

/// Moves every shape of `group` by (`dx`, `dy`).
pub fn translate_group(group: &mut Group, dx: f32, dy: f32) {
    let p = |p: crate::layout::Pos| pos(p.x + dx, p.y + dy);
    group.bounds = moved(group.bounds, dx, dy);
    for shape in &mut group.shapes {
        match shape {
            Shape::Rect { rect, .. } => *rect = moved(*rect, dx, dy),
            Shape::Polyline { points, .. } | Shape::Polygon { points, .. } => {
                for q in points.iter_mut() {
                    *q = p(*q);
                }
            }
            Shape::Circle { center, .. } => *center = p(*center),
            Shape::Curve { curve, .. } => {
                for q in curve.0.iter_mut() {
                    *q = p(*q);
                }
            }
            Shape::Text(text) => {
                text.x += dx;
                text.top += dy;
            }
        }
    }
}
