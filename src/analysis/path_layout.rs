//! Where a path graph's nodes go when it is drawn: the commonest edges,
//! their nodes in columns by where in a journey they typically happen
//! (start on the left, end on the right), each column ordered so that edges
//! cross little. Pure: the Data view paints what this returns.

use std::collections::HashMap;

use serde::Serialize;

use super::paths::{END, PathGraph, START, Transition};

/// At most this many columns: more would make boxes too narrow to read.
pub const MAX_COLUMNS: usize = 8;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathLayout {
    /// Columns used, `START` in 0 and `END` in the last.
    pub columns: usize,
    pub nodes: Vec<LaidNode>,
    /// Between indices into `nodes`, largest first.
    pub edges: Vec<LaidEdge>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaidNode {
    pub name: String,
    pub column: usize,
    /// 0 at the top of its column.
    pub row: usize,
    /// How often it happens (`PathNode::events`).
    pub events: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LaidEdge {
    pub from: usize,
    pub to: usize,
    pub count: u64,
}

/// Lays out the `top` commonest edges of `graph` and the nodes they join,
/// with every edge from `START` and to `END` of those nodes: where the
/// journeys shown begin and end is always drawn.
pub fn layout_paths(graph: &PathGraph, top: usize) -> PathLayout {
    let mut kept: Vec<&Transition> = graph.edges.iter().take(top).collect();
    let shown: Vec<&str> = kept.iter().flat_map(|t| [t.from.as_str(), t.to.as_str()]).collect();
    kept.extend(graph.edges.iter().skip(top).filter(|t| {
        (t.from == START && shown.contains(&t.to.as_str())) || (t.to == END && shown.contains(&t.from.as_str()))
    }));
    let info: HashMap<&str, (f64, u64)> = graph
        .nodes
        .iter()
        .map(|n| (n.name.as_str(), (n.typical_step, n.events)))
        .collect();
    // Nodes in order of first appearance among the kept (largest) edges.
    let mut names: Vec<&str> = Vec::new();
    for t in &kept {
        for name in [t.from.as_str(), t.to.as_str()] {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let edges: Vec<LaidEdge> = kept
        .iter()
        .map(|t| LaidEdge {
            from: index[t.from.as_str()],
            to: index[t.to.as_str()],
            count: t.count,
        })
        .collect();

    // Columns: the inner nodes' typical steps, rounded, distinct and in
    // order, spread over at most MAX_COLUMNS - 2 inner columns.
    let step = |n: &str| info.get(n).map_or(1.0, |i| i.0).round() as i64;
    let mut steps: Vec<i64> = names.iter().filter(|n| !is_end(n)).map(|n| step(n)).collect();
    steps.sort_unstable();
    steps.dedup();
    let inner = steps.len().min(MAX_COLUMNS - 2);
    let column_of = |n: &str| -> usize {
        match n {
            START => 0,
            END => inner + 1,
            n => {
                let rank = steps.binary_search(&step(n)).unwrap_or(0);
                1 + rank * inner / steps.len().max(1)
            }
        }
    };
    let columns = inner + 2;
    let column: Vec<usize> = names.iter().map(|n| column_of(n)).collect();
    let events = |n: &str| info.get(n).map_or(0, |i| i.1);

    // Rows: first by how often the node happens, then a few barycentre
    // sweeps (each node moves to the weighted mean row of its neighbours).
    let mut order: Vec<Vec<usize>> = vec![Vec::new(); columns];
    for (i, &c) in column.iter().enumerate() {
        order[c].push(i);
    }
    for col in &mut order {
        col.sort_by(|&a, &b| {
            events(names[b])
                .cmp(&events(names[a]))
                .then_with(|| names[a].cmp(names[b]))
        });
    }
    let mut row = vec![0.0f64; names.len()];
    let place = |order: &Vec<Vec<usize>>, row: &mut Vec<f64>| {
        for col in order {
            for (r, &i) in col.iter().enumerate() {
                row[i] = r as f64;
            }
        }
    };
    place(&order, &mut row);
    for sweep in 0..4 {
        let cols: Vec<usize> = if sweep % 2 == 0 {
            (1..columns).collect()
        } else {
            (0..columns.saturating_sub(1)).rev().collect()
        };
        for c in cols {
            let mut keyed: Vec<(f64, usize)> = order[c]
                .iter()
                .map(|&i| {
                    let (mut sum, mut weight) = (0.0, 0.0);
                    for e in &edges {
                        let other = match (e.from == i, e.to == i) {
                            (true, false) => e.to,
                            (false, true) => e.from,
                            _ => continue,
                        };
                        if column[other] != c {
                            sum += row[other] * e.count as f64;
                            weight += e.count as f64;
                        }
                    }
                    (if weight > 0.0 { sum / weight } else { row[i] }, i)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| names[a.1].cmp(names[b.1])));
            order[c] = keyed.into_iter().map(|(_, i)| i).collect();
            for (r, &i) in order[c].iter().enumerate() {
                row[i] = r as f64;
            }
        }
    }
    let nodes = names
        .iter()
        .enumerate()
        .map(|(i, n)| LaidNode {
            name: (*n).to_owned(),
            column: column[i],
            row: row[i] as usize,
            events: events(n),
        })
        .collect();
    PathLayout { columns, nodes, edges }
}

fn is_end(name: &str) -> bool {
    name == START || name == END
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{EventLogBuilder, path_graph};

    fn graph(journeys: &[&[&str]]) -> PathGraph {
        let mut b = EventLogBuilder::default();
        for (p, journey) in journeys.iter().enumerate() {
            for (t, e) in journey.iter().enumerate() {
                b.push(&format!("p{p}"), t as i64, e, None, 0.0, 0.0);
            }
        }
        path_graph(&b.build(), None)
    }

    fn node<'a>(l: &'a PathLayout, name: &str) -> &'a LaidNode {
        l.nodes.iter().find(|n| n.name == name).unwrap()
    }

    #[test]
    fn columns_follow_the_typical_step_from_start_to_end() {
        let g = graph(&[
            &["ad", "visit", "signup", "buy"],
            &["ad", "visit", "buy"],
            &["visit", "signup"],
        ]);
        let l = layout_paths(&g, 100);
        let col = |n: &str| node(&l, n).column;
        assert_eq!(col(START), 0);
        assert_eq!(col(END), l.columns - 1);
        assert!(col("ad") < col("visit"), "ad comes first in journeys");
        assert!(col("visit") < col("signup"));
        assert!(col("signup") <= col("buy"));
        assert!(l.nodes.iter().all(|n| n.column < l.columns));
    }

    #[test]
    fn top_keeps_the_commonest_edges_and_only_their_nodes() {
        let g = graph(&[&["a", "b"], &["a", "b"], &["a", "b"], &["a", "c"]]);
        let l = layout_paths(&g, 3);
        let counts: Vec<u64> = l.edges.iter().map(|e| e.count).collect();
        assert_eq!(counts, [4, 3, 3], "▶ start→a, a→b, b→■ end");
        assert!(l.nodes.iter().all(|n| n.name != "c"), "a→c is not among the top 3");
        let l = layout_paths(&g, 2);
        let names: Vec<&str> = l.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(
            names,
            [START, "a", "b", END],
            "b→■ end is drawn although not in the top 2"
        );
        // Every edge joins laid-out nodes.
        assert!(l.edges.iter().all(|e| e.from < l.nodes.len() && e.to < l.nodes.len()));
    }

    #[test]
    fn many_steps_fit_in_a_bounded_number_of_columns() {
        let long: Vec<String> = (0..30).map(|i| format!("e{i:02}")).collect();
        let journey: Vec<&str> = long.iter().map(String::as_str).collect();
        let l = layout_paths(&graph(&[&journey]), 100);
        assert_eq!(l.columns, MAX_COLUMNS);
        // Still in journey order, left to right.
        let cols: Vec<usize> = journey.iter().map(|n| node(&l, n).column).collect();
        assert!(cols.windows(2).all(|w| w[0] <= w[1]), "{cols:?}");
    }

    #[test]
    fn rows_are_ordered_to_avoid_crossings() {
        // Two parallel lanes: x1→x2 and y1→y2, y much commoner. Rows in the
        // second column follow their sources, so the lanes do not cross.
        let mut journeys: Vec<&[&str]> = vec![&["x1", "x2"]; 2];
        journeys.extend(vec![&["y1", "y2"] as &[&str]; 5]);
        let l = layout_paths(&graph(&journeys), 100);
        let row = |n: &str| node(&l, n).row;
        assert_eq!(row("y1") < row("x1"), row("y2") < row("x2"));
        // Rows within a column are distinct.
        for c in 0..l.columns {
            let mut rows: Vec<usize> = l.nodes.iter().filter(|n| n.column == c).map(|n| n.row).collect();
            let len = rows.len();
            rows.sort_unstable();
            rows.dedup();
            assert_eq!(rows.len(), len);
        }
    }
}
