//! A large, deterministic map for benchmarks and tests of the exporters,
//! every lane filled.

use crate::model::generate;
use crate::model::*;

const PHRASES: &[&str] = &[
    "Tìm hiểu điều hòa inverter tiết kiệm điện",
    "So sánh giá trên trang web và tại cửa hàng",
    "Porównuje ceny i czyta opinie klientów",
    "Đọc đánh giá trên fanpage và hỏi qua Zalo",
    "Zapisuje się na webinar o wdrożeniu",
    "Reads the pricing page twice before asking sales",
    "Hỏi chi phí lắp đặt, ống đồng và giá đỡ",
    "Pobiera przewodnik i dostaje sekwencję e-maili",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn phrase(&mut self) -> String {
        PHRASES[self.below(PHRASES.len())].to_owned()
    }
}

/// `model::generate::generated_map` with every lane filled: texts in
/// Vietnamese and Polish, three metrics (with targets), a budgeted effort,
/// two pain points and opportunities per touchpoint, three notes a stage.
/// Exporters draw every lane of it, so it is their worst case.
pub fn full_map(touchpoints: usize, links: usize, seed: u64) -> JourneyMap {
    let mut map = generate::generated_map(touchpoints, links, seed);
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    map.title = "Bản đồ hành trình lớn · Duża mapa podróży".into();
    map.currency = "VND".into();
    let mut id = map.next_id();
    let mut next = || {
        id += 1;
        id
    };
    for (i, stage) in map.stages.iter_mut().enumerate() {
        stage.name = format!("Giai đoạn {} · Etap {}", i + 1, i + 1);
        stage.notes = (0..3).map(|_| Note::new(NoteId(next()), rng.phrase())).collect();
    }
    for (t, tp) in map.touchpoints.iter_mut().enumerate() {
        tp.name = format!("{} {}", rng.phrase(), t + 1);
        tp.does = rng.phrase();
        tp.thinks = rng.phrase();
        tp.pain_points = vec![Idea::new(rng.phrase()), Idea::new(rng.phrase())];
        tp.opportunities = vec![Idea::new(rng.phrase()), Idea::new(rng.phrase())];
        tp.efforts = vec![MarketingEffort {
            id: EffortId(next()),
            name: "Chiến dịch mùa hè".into(),
            kind: EffortKind::Campaign,
            channel: tp.channel.clone(),
            budget: Some((rng.below(50) as f64 + 1.0) * 1_000_000.0),
            owner: String::new(),
            start: None,
            end: None,
        }];
        tp.metrics = vec![
            Metric {
                id: MetricId(next()),
                name: "Lượt truy cập".into(),
                value: Some(rng.below(100_000) as f64),
                unit: Unit::Count,
                target: Some(50_000.0),
                source: MetricSource::Manual,
            },
            Metric {
                id: MetricId(next()),
                name: "Współczynnik konwersji".into(),
                value: Some(rng.below(400) as f64 / 10.0),
                unit: Unit::Percent,
                target: Some(12.5),
                source: MetricSource::Manual,
            },
            Metric {
                id: MetricId(next()),
                name: "Time on page".into(),
                value: Some(rng.below(300) as f64),
                unit: Unit::Seconds,
                target: None,
                source: MetricSource::Manual,
            },
        ];
    }
    map
}
