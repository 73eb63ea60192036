//! The few geometric types layout needs, free of any UI library so exporters
//! and tests use them as they are.

#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Pos {
    pub x: f32,
    pub y: f32,
}

pub const fn pos(x: f32, y: f32) -> Pos {
    Pos { x, y }
}

#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Rect {
    pub min: Pos,
    pub max: Pos,
}

impl Rect {
    pub fn from_min_size(min: Pos, width: f32, height: f32) -> Rect {
        Rect {
            min,
            max: pos(min.x + width, min.y + height),
        }
    }

    pub fn width(&self) -> f32 {
        self.max.x - self.min.x
    }

    pub fn height(&self) -> f32 {
        self.max.y - self.min.y
    }

    pub fn center(&self) -> Pos {
        pos((self.min.x + self.max.x) / 2.0, (self.min.y + self.max.y) / 2.0)
    }

    pub fn shrink(&self, by: f32) -> Rect {
        Rect {
            min: pos(self.min.x + by, self.min.y + by),
            max: pos(self.max.x - by, self.max.y - by),
        }
    }

    pub fn intersects(&self, other: &Rect) -> bool {
        self.min.x <= other.max.x && other.min.x <= self.max.x && self.min.y <= other.max.y && other.min.y <= self.max.y
    }

    pub fn contains(&self, p: Pos) -> bool {
        (self.min.x..=self.max.x).contains(&p.x) && (self.min.y..=self.max.y).contains(&p.y)
    }

    pub fn union(&self, other: &Rect) -> Rect {
        Rect {
            min: pos(self.min.x.min(other.min.x), self.min.y.min(other.min.y)),
            max: pos(self.max.x.max(other.max.x), self.max.y.max(other.max.y)),
        }
    }
}

/// A cubic Bézier curve, the shape of every link.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cubic(pub [Pos; 4]);

impl Cubic {
    pub fn point(&self, t: f32) -> Pos {
        let [a, b, c, d] = self.0;
        let u = 1.0 - t;
        let (w0, w1, w2, w3) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
        pos(
            w0 * a.x + w1 * b.x + w2 * c.x + w3 * d.x,
            w0 * a.y + w1 * b.y + w2 * c.y + w3 * d.y,
        )
    }

    /// The bounding box of the control points, which contains the curve.
    pub fn bounds(&self) -> Rect {
        let [a, b, c, d] = self.0;
        let r = |p: Pos| Rect { min: p, max: p };
        r(a).union(&r(b)).union(&r(c)).union(&r(d))
    }
}
