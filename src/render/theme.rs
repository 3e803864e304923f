//! Colours, type sizes and spacing shared by both views, chosen to survive black-and-white printing.

use crate::model::{Role, Segment, Via};

use super::scene::LineStyle;

pub(crate) const MARGIN: f64 = 24.0;

pub(crate) const TITLE_SIZE: f64 = 19.0;
pub(crate) const META_SIZE: f64 = 11.5;
pub(crate) const DOC_SIZE: f64 = 15.0;
pub(crate) const HEADER_SIZE: f64 = 14.0;
pub(crate) const ROLE_SIZE: f64 = 11.0;
pub(crate) const NODE_TITLE_SIZE: f64 = 13.0;
pub(crate) const TAG_SIZE: f64 = 11.0;
pub(crate) const BODY_SIZE: f64 = 11.5;
pub(crate) const SMALL_SIZE: f64 = 11.0;
pub(crate) const LABEL_SIZE: f64 = 11.5;

/// The outline of a box and the width of an arrow added or changed since the earlier version (太線).
pub(crate) const CHANGED_WIDTH: f64 = 3.5;

/// Line pitch as a multiple of the font size.
pub(crate) const LEADING: f64 = 1.4;

pub(crate) const INK: &str = "#1a1a1a";
pub(crate) const MUTED: &str = "#5a5a5a";
pub(crate) const LINE: &str = "#2f3b48";
pub(crate) const NODE_STROKE: &str = "#34495e";
pub(crate) const WHITE: &str = "#ffffff";
pub(crate) const NETWORK_INK: &str = "#1d4f91";
pub(crate) const CONTROL_INK: &str = "#2e6b30";
pub(crate) const SENSITIVE_INK: &str = "#8c1d1d";
pub(crate) const ALERT: &str = "#d0021b";
pub(crate) const ALERT_FILL: &str = "#fff1f1";
pub(crate) const ACCEPTED: &str = "#8a7a6a";
pub(crate) const TITLE_FILL: &str = "#f4f6f8";
pub(crate) const TITLE_STROKE: &str = "#9aa7b4";
/// A host's frame and caption (ガバメントクラウド, デジタル庁).
pub(crate) const HOST_INK: &str = "#2a6f6f";

/// The lane body and header colours for a role.
pub(crate) fn lane_colors(role: Role) -> (&'static str, &'static str) {
    match role {
        Role::Subject => ("#f2f8f0", "#dcebd6"),
        Role::Agency => ("#eef3fb", "#d5e2f5"),
        Role::Internal => ("#f4f0fa", "#e2d9f1"),
        Role::External => ("#fbf4ea", "#f1e0c6"),
    }
}

/// The fill of a segment's tag (三層の対策: red for マイナンバー利用事務系, blue for LGWAN, yellow for the Internet).
pub(crate) fn segment_fill(segment: Segment) -> &'static str {
    match segment {
        Segment::MyNumberUse => "#f9d6d6",
        Segment::LgwanConnected => "#d6e6fb",
        Segment::InternetConnected => "#fbefc4",
        Segment::LgwanAsp => "#d9f0f7",
        Segment::GovCloud => "#dcf0dc",
        Segment::External => "#e8e8e8",
    }
}

pub(crate) const HOSTING_FILL: &str = "#eeeeee";
pub(crate) const KIND_FILL: &str = "#f3efe6";

/// Paper, post and hand-overs are drawn dashed; an unstated route dotted.
pub(crate) fn via_style(via: &[Via]) -> LineStyle {
    if via.is_empty() {
        LineStyle::Dotted
    } else if via.iter().any(|v| v.is_network()) {
        LineStyle::Solid
    } else {
        LineStyle::Dashed
    }
}

/// Lanes are drawn 本人 → 実施機関 → 庁内 → 外部.
pub(crate) fn role_rank(role: Role) -> u8 {
    match role {
        Role::Subject => 0,
        Role::Agency => 1,
        Role::Internal => 2,
        Role::External => 3,
    }
}
/// Length of an arrowhead, shared by both views.
pub(crate) const HEAD_LEN: f64 = 9.0;
