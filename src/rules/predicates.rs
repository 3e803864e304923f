//! The predicate table: every condition a rule can name, one function each, listed in one place.

use crate::diag::{Diagnostic, Source};
use crate::itemset::ItemSet;
use crate::model::{
    Absence, Basis, Controls, Endpoint, FlowKind, Hosting, ItemKind, Place, Role, Segment,
    SystemKind, SystemStatus, Unstated, Via,
};

use super::engine::{Ctx, Evidence, Subject};
use super::{Cond, SubjectKind};

/// A predicate's argument, parsed once when the rule pack is loaded.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    None,
    Via(Vec<Via>),
    Segment(Vec<Segment>),
    Role(Vec<Role>),
    Hosting(Vec<Hosting>),
    Kind(Vec<SystemKind>),
    Class(ItemClass),
    Controls(Vec<String>),
    Basis(Vec<BasisKind>),
    FlowKind(Vec<FlowKind>),
    Unstated(Vec<Unstated>),
    Absence(Vec<Absence>),
    Place(Vec<Place>),
    Status(Vec<SystemStatus>),
}

/// Which items a predicate cares about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemClass {
    /// Any personal information (every item).
    Personal,
    /// 要配慮個人情報.
    Sensitive,
    /// 個人番号 (特定個人情報).
    MyNumber,
    /// 要配慮個人情報 or 個人番号.
    SensitiveOrMyNumber,
}

impl ItemClass {
    pub fn kinds(self) -> &'static [ItemKind] {
        match self {
            ItemClass::Personal => &[ItemKind::General, ItemKind::Sensitive, ItemKind::MyNumber],
            ItemClass::Sensitive => &[ItemKind::Sensitive],
            ItemClass::MyNumber => &[ItemKind::MyNumber],
            ItemClass::SensitiveOrMyNumber => &[ItemKind::Sensitive, ItemKind::MyNumber],
        }
    }
}

/// The basis of a declaration, without its details.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BasisKind {
    ExternalLink,
    Outsourcing,
    Subcontract,
    Provision,
    OtherPurposeUse,
    Intake,
}

impl BasisKind {
    pub fn of(basis: &Basis) -> BasisKind {
        match basis {
            Basis::ExternalLink => BasisKind::ExternalLink,
            Basis::Outsourcing => BasisKind::Outsourcing,
            Basis::Subcontract { .. } => BasisKind::Subcontract,
            Basis::Provision => BasisKind::Provision,
            Basis::OtherPurposeUse => BasisKind::OtherPurposeUse,
            Basis::Intake => BasisKind::Intake,
        }
    }
}

/// What argument a predicate takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgType {
    None,
    Via,
    Segment,
    Role,
    Hosting,
    Kind,
    Class,
    Controls,
    Basis,
    FlowKind,
    Unstated,
    Absence,
    Place,
    Status,
}

type Eval = fn(&Ctx, Subject, &Arg, &mut Evidence) -> bool;

/// One entry of the predicate table.
pub struct Predicate {
    pub name: &'static str,
    pub on: SubjectKind,
    pub arg: ArgType,
    /// What it means, in Japanese (shown by `nagare rules --predicates`).
    pub doc: &'static str,
    pub eval: Eval,
}

use ArgType as A;
use SubjectKind as K;

/// The table. Adding a predicate means adding one function and one line here.
pub static PREDICATES: &[Predicate] = &[
    // 流れ
    Predicate { name: "via", on: K::Flow, arg: A::Via, doc: "経路（via）が指定のいずれか", eval: flow_via },
    Predicate { name: "via-unstated", on: K::Flow, arg: A::None, doc: "経路（via）が書かれていない", eval: flow_via_unstated },
    Predicate { name: "carries", on: K::Flow, arg: A::Class, doc: "指定の種類の情報項目を運ぶ", eval: flow_carries },
    Predicate { name: "empty", on: K::Flow, arg: A::None, doc: "情報項目を一つも運ばない", eval: flow_empty },
    Predicate { name: "control", on: K::Flow, arg: A::Controls, doc: "流れに指定の対策のいずれかがある", eval: flow_control },
    Predicate { name: "from-segment", on: K::Flow, arg: A::Segment, doc: "送り元システムのセグメントが指定のいずれか", eval: flow_from_segment },
    Predicate { name: "to-segment", on: K::Flow, arg: A::Segment, doc: "送り先システムのセグメントが指定のいずれか", eval: flow_to_segment },
    Predicate { name: "from-role", on: K::Flow, arg: A::Role, doc: "送り元の関係者の役割が指定のいずれか", eval: flow_from_role },
    Predicate { name: "to-role", on: K::Flow, arg: A::Role, doc: "送り先の関係者の役割が指定のいずれか", eval: flow_to_role },
    Predicate { name: "from-kind", on: K::Flow, arg: A::Kind, doc: "送り元システムの種類が指定のいずれか", eval: flow_from_kind },
    Predicate { name: "to-kind", on: K::Flow, arg: A::Kind, doc: "送り先システムの種類が指定のいずれか", eval: flow_to_kind },
    Predicate { name: "crosses-body", on: K::Flow, arg: A::None, doc: "実施機関・庁内から外部の関係者へ渡る", eval: flow_crosses_body },
    Predicate { name: "to-declared-as", on: K::Flow, arg: A::Basis, doc: "送り先の関係者が別紙で指定の根拠で記載されている", eval: flow_to_declared_as },
    Predicate { name: "to-declared-law", on: K::Flow, arg: A::None, doc: "送り先の関係者が、法令上の根拠（law）付きで別紙に記載されている", eval: flow_to_declared_law },
    Predicate { name: "to-declared", on: K::Flow, arg: A::None, doc: "送り先の関係者が別紙に記載されている", eval: flow_to_declared },
    Predicate { name: "kind", on: K::Flow, arg: A::FlowKind, doc: "流れの種類（データ・接続・制御・物・役務・報告）が指定のいずれか", eval: flow_kind },
    Predicate { name: "unstated", on: K::Flow, arg: A::Unstated, doc: "指定の欄を資料が記載していない（unstated）", eval: flow_unstated },
    Predicate { name: "place", on: K::Flow, arg: A::Place, doc: "媒体の場所（庁内・庁外）が指定のいずれか", eval: flow_place },
    Predicate { name: "to-not", on: K::Flow, arg: A::Absence, doc: "送り先（システムかその関係者）が指定のことを「しない」と資料に書かれている", eval: flow_to_not },
    Predicate { name: "from-not", on: K::Flow, arg: A::Absence, doc: "送り元（システムかその関係者）が指定のことを「しない」と資料に書かれている", eval: flow_from_not },
    Predicate { name: "relay-in-clear", on: K::Flow, arg: A::None, doc: "through の中継者が、暗号化されていない個人情報を扱い得る（中継者に「個人情報の取扱い」なしの記載がない）", eval: flow_relay_in_clear },
    Predicate { name: "weak-control", on: K::Flow, arg: A::None, doc: "流れの対策の書き方に、弱いとされる方式（SSL、パスワード付きZIP など）がある", eval: flow_weak_control },
    Predicate { name: "from-declared-as", on: K::Flow, arg: A::Basis, doc: "送り元の関係者が別紙で指定の根拠で記載されている", eval: flow_from_declared_as },
    Predicate { name: "to-holds", on: K::Flow, arg: A::Class, doc: "送り先（システムか関係者）が指定の種類の情報項目を保存するか受け取る", eval: flow_to_holds },
    Predicate { name: "via-network", on: K::Flow, arg: A::None, doc: "経路にネットワーク（インターネット・LGWAN・閉域網・専用線・庁内LAN・サーバ間・電子メール・住基ネット）がある", eval: flow_via_network },
    Predicate { name: "control-on-path", on: K::Flow, arg: A::Controls, doc: "流れ、送り元・送り先のシステム、送り元が接続する（kind: 接続）システムのいずれかに指定の対策がある", eval: flow_control_on_path },
    Predicate { name: "lacks-on-flow", on: K::Flow, arg: A::Controls, doc: "「名前=id+id|名前=id」の各組のうち、流れにどの id もない組がある（足りない組の名前を {detail} に）", eval: flow_lacks },
    Predicate { name: "omits", on: K::Flow, arg: A::Unstated, doc: "データの流れで、指定の欄（via / items）に値も unstated もない（モデルの書き漏らし）", eval: flow_omits },
    Predicate { name: "from-place", on: K::Flow, arg: A::Place, doc: "送り元システムの場所（place）が指定のいずれか", eval: flow_from_place },
    Predicate { name: "to-status", on: K::Flow, arg: A::Status, doc: "送り先システムの状態（現行・移行予定・廃止予定）が指定のいずれか", eval: flow_to_status },
    // システム
    Predicate { name: "segment", on: K::System, arg: A::Segment, doc: "セグメントが指定のいずれか", eval: system_segment },
    Predicate { name: "segment-unstated", on: K::System, arg: A::None, doc: "セグメントが書かれていない", eval: system_segment_unstated },
    Predicate { name: "hosting", on: K::System, arg: A::Hosting, doc: "設置形態が指定のいずれか", eval: system_hosting },
    Predicate { name: "kind", on: K::System, arg: A::Kind, doc: "システムの種類が指定のいずれか", eval: system_kind },
    Predicate { name: "party-role", on: K::System, arg: A::Role, doc: "所属する関係者の役割が指定のいずれか", eval: system_party_role },
    Predicate { name: "stores", on: K::System, arg: A::Class, doc: "指定の種類の情報項目を保存する", eval: system_stores },
    Predicate { name: "holds", on: K::System, arg: A::Class, doc: "指定の種類の情報項目を保存するか受け取る", eval: system_holds },
    Predicate { name: "control", on: K::System, arg: A::Controls, doc: "システムに指定の対策のいずれかがある", eval: system_control },
    Predicate { name: "reached-via", on: K::System, arg: A::Via, doc: "指定の経路の流れで出入りがある", eval: system_reached_via },
    Predicate { name: "reached-not-via", on: K::System, arg: A::Via, doc: "指定以外の経路（または経路不明）の流れで届くものがある", eval: system_reached_not_via },
    Predicate { name: "internet-staff-reachable", on: K::System, arg: A::None, doc: "本人以外（職員・事業者・他の機関）からインターネット経由で届く流れ（接続を含む）がある", eval: system_internet_staff_reachable },
    Predicate { name: "internet-reachable", on: K::System, arg: A::None, doc: "インターネット接続系にあるか、インターネット経由で届く流れがある", eval: system_internet_reachable },
    Predicate { name: "sends", on: K::System, arg: A::Class, doc: "指定の種類の情報項目を送り出す", eval: system_sends },
    Predicate { name: "receives-excluded", on: K::System, arg: A::None, doc: "excludes に書いた（保持してはならない）情報項目が届くか保存される", eval: system_receives_excluded },
    Predicate { name: "unreached", on: K::System, arg: A::None, doc: "届く流れが一つもない", eval: system_unreached },
    Predicate { name: "not", on: K::System, arg: A::Absence, doc: "システム（またはその関係者）が指定のことを「しない」と資料に書かれている", eval: system_not },
    Predicate { name: "unstated", on: K::System, arg: A::Unstated, doc: "指定の欄を資料が記載していない（unstated）", eval: system_unstated },
    Predicate { name: "status", on: K::System, arg: A::Status, doc: "状態（現行・移行予定・廃止予定）が指定のいずれか", eval: system_status },
    Predicate { name: "retention-stated", on: K::System, arg: A::None, doc: "保存期間・消去の定め（retention）がシステムかその関係者に書かれている", eval: system_retention_stated },
    Predicate { name: "lacks", on: K::System, arg: A::Controls, doc: "「名前=id+id|名前=id」の各組のうち、システム（またはその関係者）にどの id もない組がある（足りない組の名前を {detail} に）", eval: system_lacks },
    Predicate { name: "reached-by-body-not-via", on: K::System, arg: A::Via, doc: "区（実施機関・庁内）の関係者・システムから、指定以外の経路（または経路不明）で届く流れがある", eval: system_reached_by_body_not_via },
    Predicate { name: "receives-excluded-of", on: K::System, arg: A::Class, doc: "excludes に書いた情報項目のうち指定の種類のものが届くか保存される", eval: system_receives_excluded_of },
    Predicate { name: "omits", on: K::System, arg: A::Unstated, doc: "指定の欄（segment）に値も unstated もない（モデルの書き漏らし）", eval: system_omits },
    Predicate { name: "absence-contradicted", on: K::System, arg: A::None, doc: "資料が not に書いた「しない」ことを、図の流れや保存が行っている", eval: system_absence_contradicted },
    Predicate { name: "control-reachable", on: K::System, arg: A::Controls, doc: "システム自身か、その流れ（接続を含む）の相手のシステムに指定の対策がある", eval: system_control_reachable },
    Predicate { name: "party-declared-as", on: K::System, arg: A::Basis, doc: "所属する関係者が別紙で指定の根拠で記載されている", eval: system_party_declared_as },
    Predicate { name: "party-control", on: K::System, arg: A::Controls, doc: "所属する関係者（またはホスト・共同運営者）に指定の対策（運用上の対策）がある", eval: system_party_control },
    Predicate { name: "serves-body", on: K::System, arg: A::None, doc: "実施機関・庁内の関係者やシステムとの間に個人情報の流れがある（区のために預かる）", eval: system_serves_body },
    Predicate { name: "receives-unknown", on: K::System, arg: A::None, doc: "運ぶ情報項目が資料に書かれていない流れが届く", eval: system_receives_unknown },
    Predicate { name: "mynumber-meets-internet", on: K::System, arg: A::None, doc: "マイナンバー利用事務系のこのシステムから、何段でもインターネット接続系との間に流れの経路がある", eval: system_mynumber_meets_internet },
    // 関係者
    Predicate { name: "role", on: K::Party, arg: A::Role, doc: "役割が指定のいずれか", eval: party_role },
    Predicate { name: "receives", on: K::Party, arg: A::Class, doc: "関係者またはそのシステムが指定の種類の情報項目を受け取る（経路付き）", eval: party_receives },
    Predicate { name: "receives-in-clear", on: K::Party, arg: A::Class, doc: "receives と同じだが、情報提供ネットワークシステムと、事業者がアクセスできない基盤（no-provider-access）での受取りを除く", eval: party_receives_in_clear },
    Predicate { name: "declared", on: K::Party, arg: A::None, doc: "別紙（declared）に記載されている", eval: party_declared },
    Predicate { name: "declared-as", on: K::Party, arg: A::Basis, doc: "別紙に指定の根拠で記載されている", eval: party_declared_as },
    Predicate { name: "control", on: K::Party, arg: A::Controls, doc: "関係者に指定の対策（運用上の対策）のいずれかがある", eval: party_control },
    Predicate { name: "receives-from-processor", on: K::Party, arg: A::None, doc: "委託先・再委託先から個人情報を受け取る（経路付き）", eval: party_receives_from_processor },
    Predicate { name: "not", on: K::Party, arg: A::Absence, doc: "関係者が指定のことを「しない」と資料に書かれている", eval: party_not },
    Predicate { name: "unstated", on: K::Party, arg: A::Unstated, doc: "指定の欄を資料が記載していない（unstated）", eval: party_unstated },
    Predicate { name: "retention-stated", on: K::Party, arg: A::None, doc: "保存期間・消去の定め（retention）が関係者か、その運用するシステムに書かれている", eval: party_retention_stated },
    Predicate { name: "stores", on: K::Party, arg: A::Class, doc: "関係者の運用するシステムが指定の種類の情報項目を保存する", eval: party_stores },
    Predicate { name: "absence-contradicted", on: K::Party, arg: A::None, doc: "資料が not に書いた「しない」ことを、図の流れや保存が行っている", eval: party_absence_contradicted },
    Predicate { name: "relays-in-clear", on: K::Party, arg: A::None, doc: "暗号化されていない個人情報の流れを中継する（through）", eval: party_relays_in_clear },
    Predicate { name: "subcontract-declared-via-sender", on: K::Party, arg: A::None, doc: "情報を渡す委託先を経由する再委託として別紙に記載されている", eval: party_subcontract_declared_via_sender },
    // 相手方（別紙）
    Predicate { name: "basis", on: K::Declared, arg: A::Basis, doc: "根拠が指定のいずれか", eval: declared_basis },
    Predicate { name: "consent", on: K::Declared, arg: A::None, doc: "再委託の承諾が記録されている", eval: declared_consent },
    Predicate { name: "consent-refused", on: K::Declared, arg: A::None, doc: "再委託の承諾がない（consent: false）と資料に書かれている", eval: declared_consent_refused },
    Predicate { name: "beyond-declared", on: K::Declared, arg: A::None, doc: "別紙に記載した以外の情報項目を受け取る", eval: declared_beyond },
    Predicate { name: "receives-nothing", on: K::Declared, arg: A::None, doc: "どの流れからも情報項目を受け取らない", eval: declared_receives_nothing },
    Predicate { name: "receives", on: K::Declared, arg: A::Class, doc: "指定の種類の情報項目を受け取る", eval: declared_receives },
    Predicate { name: "unstated", on: K::Declared, arg: A::Unstated, doc: "指定の欄を資料が記載していない（unstated）", eval: declared_unstated },
    Predicate { name: "mynumber-law-stated", on: K::Declared, arg: A::None, doc: "法令上の根拠（law）に番号法（番号利用法）が書かれている", eval: declared_mynumber_law_stated },
    Predicate { name: "beyond-declared-from-body", on: K::Declared, arg: A::None, doc: "別紙に記載した以外の情報項目を、区・委託先など情報提供ネットワークシステム以外から受け取る", eval: declared_beyond_from_body },
    Predicate { name: "law-stated", on: K::Declared, arg: A::None, doc: "法令上の根拠（law）が書かれている", eval: declared_law_stated },
    Predicate { name: "subject-consent", on: K::Declared, arg: A::None, doc: "本人の同意に基づく提供（subject_consent）", eval: declared_subject_consent },
    Predicate { name: "declared-not-received", on: K::Declared, arg: A::None, doc: "別紙に記載した情報項目の一部が、どの流れでも相手方に届かない", eval: declared_not_received },
    Predicate { name: "receives-beyond-changes", on: K::Declared, arg: A::None, doc: "変更箇所（changes）のある資料で、流れで相手方（ホストとしての保持は除く）に変更箇所の5倍以上かつ20項目以上の、変更箇所以外の項目が渡り、その中に要配慮個人情報か個人番号がある", eval: declared_receives_beyond_changes },
    Predicate { name: "party-not", on: K::Declared, arg: A::Absence, doc: "相手方の関係者が指定のことを「しない」と資料に書かれている", eval: declared_party_not },
    Predicate { name: "party-unstated", on: K::Declared, arg: A::Unstated, doc: "相手方の関係者の指定の欄を資料が記載していない", eval: declared_party_unstated },
    Predicate { name: "party-control", on: K::Declared, arg: A::Controls, doc: "相手方の関係者かそのシステムに指定の対策のいずれかがある", eval: declared_party_control },
    // 情報項目
    Predicate { name: "carried", on: K::Item, arg: A::None, doc: "いずれかの流れが運ぶか、いずれかのシステムが保存する（excludes に書かれたものを含む）", eval: item_carried },
    Predicate { name: "in-declared", on: K::Item, arg: A::None, doc: "別紙のいずれかの相手方の情報項目に含まれる", eval: item_in_declared },
    Predicate { name: "sent-outside", on: K::Item, arg: A::None, doc: "外部の関係者へ運ばれる", eval: item_sent_outside },
    Predicate { name: "model-has-declared", on: K::Item, arg: A::None, doc: "モデルに別紙（declared）が一つ以上ある", eval: item_model_has_declared },
    // 受容
    Predicate { name: "expired", on: K::Acceptance, arg: A::None, doc: "期限（until）を過ぎている", eval: acceptance_expired },
    Predicate { name: "covers-unrecorded", on: K::Acceptance, arg: A::None, doc: "受容が何を対象にしたか（covers）を記録していない", eval: acceptance_covers_unrecorded },
    Predicate { name: "matches-nothing", on: K::Acceptance, arg: A::None, doc: "どの指摘にも当てはまらない", eval: acceptance_matches_nothing },
];

/// Finds a predicate by subject kind and name.
pub fn lookup(on: SubjectKind, name: &str) -> Option<&'static Predicate> {
    PREDICATES.iter().find(|p| p.on == on && p.name == name)
}

/// Checks a condition against the table at load time: known predicates, right subject, valid argument.
pub fn check_cond(cond: &Cond, on: SubjectKind, source: &Source) -> Result<(), Diagnostic> {
    match cond {
        Cond::All(cs) | Cond::Any(cs) => cs.iter().try_for_each(|c| check_cond(c, on, source)),
        Cond::Not(c) => check_cond(c, on, source),
        Cond::Is(text) => parse(on, text).map(|_| ()).map_err(|message| {
            let names: Vec<&str> = PREDICATES
                .iter()
                .filter(|p| p.on == on)
                .map(|p| p.name)
                .collect();
            Diagnostic::error("rule::bad-predicate", message)
                .at(super::find_quoted(source, text), "この述語")
                .help(format!("{}に使える述語: {}", on.ja(), names.join(", ")))
        }),
    }
}

/// Parses `"name"` or `"name:arg|arg"` into a table entry and its argument.
pub fn parse(on: SubjectKind, text: &str) -> Result<(&'static Predicate, Arg), String> {
    let (name, arg) = match text.split_once(':') {
        Some((n, a)) => (n.trim(), Some(a.trim())),
        None => (text.trim(), None),
    };
    let predicate =
        lookup(on, name).ok_or_else(|| format!("述語「{name}」は{}には使えません", on.ja()))?;
    let values = || {
        arg.map(|a| a.split('|').map(str::trim).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    fn enums<T: Copy>(
        values: Vec<&str>,
        all: &[T],
        ja: fn(T) -> &'static str,
        en: fn(T) -> &'static str,
    ) -> Result<Vec<T>, String> {
        values
            .into_iter()
            .map(|v| {
                all.iter()
                    .copied()
                    .find(|&x| ja(x) == v || en(x) == v)
                    .ok_or_else(|| {
                        let names: Vec<&str> = all.iter().map(|&x| ja(x)).collect();
                        format!("「{v}」は使えない値です（使える値: {}）", names.join("、"))
                    })
            })
            .collect()
    }
    let parsed = match predicate.arg {
        A::None => {
            if arg.is_some() {
                return Err(format!("述語「{name}」は引数を取りません"));
            }
            Arg::None
        }
        _ if arg.is_none_or(str::is_empty) => return Err(format!("述語「{name}」には引数が必要です（{name}:…）")),
        A::Via => Arg::Via(enums(values(), Via::ALL, Via::ja, Via::en)?),
        A::Segment => Arg::Segment(enums(values(), Segment::ALL, Segment::ja, Segment::en)?),
        A::Role => Arg::Role(enums(values(), Role::ALL, Role::ja, Role::en)?),
        A::Hosting => Arg::Hosting(enums(values(), Hosting::ALL, Hosting::ja, Hosting::en)?),
        A::FlowKind => Arg::FlowKind(enums(values(), FlowKind::ALL, FlowKind::ja, FlowKind::en)?),
        A::Unstated => Arg::Unstated(enums(values(), Unstated::ALL, Unstated::ja, Unstated::en)?),
        A::Absence => Arg::Absence(enums(values(), Absence::ALL, Absence::ja, Absence::en)?),
        A::Place => Arg::Place(enums(values(), Place::ALL, Place::ja, Place::en)?),
        A::Status => Arg::Status(enums(values(), SystemStatus::ALL, SystemStatus::ja, SystemStatus::en)?),
        A::Kind => Arg::Kind(enums(values(), SystemKind::ALL, SystemKind::ja, SystemKind::en)?),
        A::Class => Arg::Class(match arg.unwrap_or_default() {
            "personal" | "個人情報" => ItemClass::Personal,
            "sensitive" | "要配慮個人情報" => ItemClass::Sensitive,
            "mynumber" | "個人番号" => ItemClass::MyNumber,
            "sensitive-or-mynumber" | "要配慮個人情報または個人番号" => ItemClass::SensitiveOrMyNumber,
            other => return Err(format!("「{other}」は情報の種類ではありません（personal, sensitive, mynumber, sensitive-or-mynumber）")),
        }),
        A::Controls => Arg::Controls(values().into_iter().map(String::from).collect()),
        A::Basis => Arg::Basis(
            values()
                .into_iter()
                .map(|v| match v {
                    "外部結合" | "ExternalLink" => Ok(BasisKind::ExternalLink),
                    "業務委託" | "Outsourcing" => Ok(BasisKind::Outsourcing),
                    "再委託" | "Subcontract" => Ok(BasisKind::Subcontract),
                    "提供" | "Provision" => Ok(BasisKind::Provision),
                    "目的外利用" | "OtherPurposeUse" => Ok(BasisKind::OtherPurposeUse),
                    "入手" | "Intake" => Ok(BasisKind::Intake),
                    other => Err(format!("「{other}」は根拠ではありません（外部結合、業務委託、再委託、提供、目的外利用、入手）")),
                })
                .collect::<Result<_, _>>()?,
        ),
    };
    Ok((predicate, parsed))
}

// ---- helpers -------------------------------------------------------------------------------

fn system_of(e: Endpoint) -> Option<usize> {
    match e {
        Endpoint::System(s) => Some(s),
        Endpoint::Party(_) => None,
    }
}

fn segment_in(ctx: &Ctx, e: Endpoint, arg: &Arg) -> bool {
    let Arg::Segment(want) = arg else {
        return false;
    };
    system_of(e)
        .and_then(|s| ctx.model.systems[s].segment)
        .is_some_and(|seg| want.contains(&seg))
}

fn role_in(ctx: &Ctx, e: Endpoint, arg: &Arg) -> bool {
    let Arg::Role(want) = arg else { return false };
    want.contains(&ctx.model.parties[ctx.model.party_of(e)].role)
}

fn kind_in(ctx: &Ctx, e: Endpoint, arg: &Arg) -> bool {
    let Arg::Kind(want) = arg else { return false };
    system_of(e).is_some_and(|s| want.contains(&ctx.model.systems[s].kind))
}

/// Any of the wanted controls is stated, or marked 「－」 with a reason (the paper answered the question).
fn has_any(controls: &Controls, arg: &Arg) -> bool {
    let Arg::Controls(want) = arg else {
        return false;
    };
    want.iter().any(|w| controls.has_or_na(w))
}

/// The endpoint, or the party it belongs to, says it does not do any of `arg`.
fn says_not(ctx: &Ctx, e: Endpoint, arg: &Arg) -> bool {
    let Arg::Absence(want) = arg else {
        return false;
    };
    let party = &ctx.model.parties[ctx.model.party_of(e)];
    want.iter().any(|&a| {
        party.stated.says_not(a)
            || system_of(e).is_some_and(|s| ctx.model.systems[s].stated.says_not(a))
    })
}

fn unstated_in(stated: &crate::model::Stated, arg: &Arg) -> bool {
    let Arg::Unstated(want) = arg else {
        return false;
    };
    want.iter().any(|&u| stated.is_unstated(u))
}

/// An endpoint the paper says does not handle personal data, or whose provider cannot see it.
fn blind(ctx: &Ctx, e: Endpoint) -> bool {
    let model = ctx.model;
    let party = &model.parties[model.party_of(e)];
    let of = |c: &Controls, st: &crate::model::Stated| {
        c.has("no-provider-access")
            || st.says_not(Absence::ProviderAccess)
            || st.says_not(Absence::PersonalData)
    };
    // The 情報提供ネットワークシステム carries data encrypted between the bodies: a statutory relay, not a reader.
    of(&party.controls, &party.stated)
        || system_of(e).is_some_and(|s| {
            model.systems[s].kind == SystemKind::InfoProvisionNetwork
                || of(&model.systems[s].controls, &model.systems[s].stated)
        })
}

/// Sets the evidence items to `found` and says whether there were any.
fn found(ev: &mut Evidence, found: ItemSet) -> bool {
    if found.is_empty() {
        return false;
    }
    ev.items = Some(found);
    true
}

/// The items of `set` in `class` as evidence, if any; most subjects have none, so the overlap is tested before
/// the intersection is built.
fn found_in(ev: &mut Evidence, set: &ItemSet, class: &ItemSet) -> bool {
    set.intersects(class) && found(ev, set.intersect(class))
}

fn basis_in(basis: &Basis, arg: &Arg) -> bool {
    let Arg::Basis(want) = arg else { return false };
    want.contains(&BasisKind::of(basis))
}

// ---- 流れ ------------------------------------------------------------------------------------

fn flow_via(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let (Subject::Flow(f), Arg::Via(want)) = (s, arg) else {
        return false;
    };
    ctx.flow_via_mask[f] & super::engine::via_mask(want) != 0
}

fn flow_via_unstated(ctx: &Ctx, s: Subject, _: &Arg, _: &mut Evidence) -> bool {
    let Subject::Flow(f) = s else { return false };
    ctx.model.flows[f].via.is_empty()
}

fn flow_carries(ctx: &Ctx, s: Subject, arg: &Arg, ev: &mut Evidence) -> bool {
    let (Subject::Flow(f), Arg::Class(class)) = (s, arg) else {
        return false;
    };
    let flow = &ctx.model.flows[f];
    // A step whose items the paper does not state may carry any personal data (but is not assumed sensitive).
    if *class == ItemClass::Personal && flow.is_data() && flow.items_unstated() {
        ev.unknown = true;
        ev.items = Some(flow.items.set.clone());
        return true;
    }
    found_in(ev, &flow.items.set, ctx.class(*class))
}

fn flow_empty(ctx: &Ctx, s: Subject, _: &Arg, _: &mut Evidence) -> bool {
    let Subject::Flow(f) = s else { return false };
    let flow = &ctx.model.flows[f];
    flow.is_data() && flow.items.set.is_empty() && !flow.items_unstated()
}

fn flow_to_declared(ctx: &Ctx, s: Subject, _: &Arg, _: &mut Evidence) -> bool {
    let Subject::Flow(f) = s else { return false };
    let party = ctx.model.party_of(ctx.model.flows[f].to);
    ctx.model.declared_for(party).is_some()
}

fn flow_to_declared_law(ctx: &Ctx, s: Subject, _: &Arg, _: &mut Evidence) -> bool {
    let Subject::Flow(f) = s else { return false };
    let party = ctx.model.party_of(ctx.model.flows[f].to);
    ctx.model
        .declared_for(party)
        .is_some_and(|d| d.law.is_some())
}

fn flow_kind(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let (Subject::Flow(f), Arg::FlowKind(want)) = (s, arg) else {
        return false;
    };
    want.contains(&ctx.model.flows[f].kind)
}

fn flow_unstated(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::Flow(f) = s else { return false };
    unstated_in(&ctx.model.flows[f].stated, arg)
}

fn flow_place(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let (Subject::Flow(f), Arg::Place(want)) = (s, arg) else {
        return false;
    };
    ctx.model.flows[f].place.is_some_and(|p| want.contains(&p))
}

fn flow_to_not(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::Flow(f) = s else { return false };
    says_not(ctx, ctx.model.flows[f].to, arg)
}

fn flow_from_not(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::Flow(f) = s else { return false };
    says_not(ctx, ctx.model.flows[f].from, arg)
}

/// Relays of flow `f` that could read what it carries: not encrypted (nor marked 「－」), and the relay is not
/// stated to handle no personal data.
fn relays_in_clear(ctx: &Ctx, f: usize) -> Vec<Endpoint> {
    let flow = &ctx.model.flows[f];
    if !flow.carries_personal() || flow.controls.has_or_na("encryption") {
        return Vec::new();
    }
    flow.through
        .iter()
        .copied()
        .filter(|&e| !blind(ctx, e))
        .collect()
}

fn flow_relay_in_clear(ctx: &Ctx, s: Subject, _: &Arg, ev: &mut Evidence) -> bool {
    let Subject::Flow(f) = s else { return false };
    let relays = relays_in_clear(ctx, f);
    if relays.is_empty() {
        return false;
    }
    let names: Vec<&str> = relays.iter().map(|&e| ctx.model.endpoint_name(e)).collect();
    ev.detail = Some(names.join("、"));
    ev.items = Some(ctx.model.flows[f].items.set.clone());
    ev.unknown = ctx.model.flows[f].items_unstated();
    true
}

fn flow_weak_control(ctx: &Ctx, s: Subject, _: &Arg, ev: &mut Evidence) -> bool {
    let Subject::Flow(f) = s else { return false };
    let weak = &ctx.model.flows[f].controls.weak;
    if weak.is_empty() {
        return false;
    }
    ev.detail = Some(
        weak.iter()
            .map(|(wording, _)| format!("「{wording}」"))
            .collect::<Vec<_>>()
            .join("、"),
    );
    true
}

fn flow_to_status(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let (Subject::Flow(f), Arg::Status(want)) = (s, arg) else {
        return false;
    };
    system_of(ctx.model.flows[f].to).is_some_and(|i| want.contains(&ctx.model.systems[i].status))
}

fn flow_control(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::Flow(f) = s else { return false };
    has_any(&ctx.model.flows[f].controls, arg)
}

fn flow_from_segment(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::Flow(f) = s else { return false };
    segment_in(ctx, ctx.model.flows[f].from, arg)
}

fn flow_to_segment(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::Flow(f) = s else { return false };
    segment_in(ctx, ctx.model.flows[f].to, arg)
}

fn flow_from_role(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let (Subject::Flow(f), Arg::Role(want)) = (s, arg) else {
        return false;
    };
    want.contains(&ctx.flow_roles[f].0)
}

fn flow_to_role(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let (Subject::Flow(f), Arg::Role(want)) = (s, arg) else {
        return false;
    };
    want.contains(&ctx.flow_roles[f].1)
}

fn flow_from_kind(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::Flow(f) = s else { return false };
    kind_in(ctx, ctx.model.flows[f].from, arg)
}

fn flow_to_kind(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::Flow(f) = s else { return false };
    kind_in(ctx, ctx.model.flows[f].to, arg)
}

fn flow_crosses_body(ctx: &Ctx, s: Subject, _: &Arg, _: &mut Evidence) -> bool {
    let Subject::Flow(f) = s else { return false };
    let (from, to) = ctx.flow_roles[f];
    matches!(from, Role::Agency | Role::Internal) && to == Role::External
}

fn flow_to_declared_as(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::Flow(f) = s else { return false };
    let party = ctx.model.party_of(ctx.model.flows[f].to);
    ctx.model
        .declared_for(party)
        .is_some_and(|d| basis_in(&d.basis, arg))
}

// ---- システム --------------------------------------------------------------------------------

fn system_segment(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::System(i) = s else { return false };
    segment_in(ctx, Endpoint::System(i), arg)
}

fn system_segment_unstated(ctx: &Ctx, s: Subject, _: &Arg, _: &mut Evidence) -> bool {
    let Subject::System(i) = s else { return false };
    ctx.model.systems[i].segment.is_none()
}

fn system_hosting(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let (Subject::System(i), Arg::Hosting(want)) = (s, arg) else {
        return false;
    };
    ctx.model.systems[i]
        .hosting
        .is_some_and(|h| want.contains(&h))
}

fn system_kind(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::System(i) = s else { return false };
    kind_in(ctx, Endpoint::System(i), arg)
}

fn system_party_role(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::System(i) = s else { return false };
    role_in(ctx, Endpoint::System(i), arg)
}

fn system_stores(ctx: &Ctx, s: Subject, arg: &Arg, ev: &mut Evidence) -> bool {
    let (Subject::System(i), Arg::Class(class)) = (s, arg) else {
        return false;
    };
    found_in(ev, &ctx.model.systems[i].stores.set, ctx.class(*class))
}

fn system_holds(ctx: &Ctx, s: Subject, arg: &Arg, ev: &mut Evidence) -> bool {
    let (Subject::System(i), Arg::Class(class)) = (s, arg) else {
        return false;
    };
    let e = Endpoint::System(i);
    let items = ctx.graph.held(e).intersect(ctx.class(*class));
    if items.is_empty() && *class == ItemClass::Personal && ctx.graph.receives_unknown(e) {
        ev.unknown = true;
        ev.items = Some(items);
        return true;
    }
    found(ev, items)
}

fn system_control(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::System(i) = s else { return false };
    has_any(&ctx.model.systems[i].controls, arg)
}

fn system_reached_via(ctx: &Ctx, s: Subject, arg: &Arg, ev: &mut Evidence) -> bool {
    let (Subject::System(i), Arg::Via(want)) = (s, arg) else {
        return false;
    };
    let e = Endpoint::System(i);
    let hit = ctx
        .graph
        .flows_into(e)
        .chain(ctx.graph.flows_out_of(e))
        .find(|&f| ctx.model.flows[f].via_any(want));
    if let Some(f) = hit {
        ev.path = Some(vec![f]);
    }
    hit.is_some()
}

fn system_reached_not_via(ctx: &Ctx, s: Subject, arg: &Arg, ev: &mut Evidence) -> bool {
    let (Subject::System(i), Arg::Via(want)) = (s, arg) else {
        return false;
    };
    let hit = ctx
        .graph
        .flows_into(Endpoint::System(i))
        .find(|&f| !ctx.model.flows[f].via_any(want));
    if let Some(f) = hit {
        ev.path = Some(vec![f]);
    }
    hit.is_some()
}

fn system_internet_reachable(ctx: &Ctx, s: Subject, _: &Arg, ev: &mut Evidence) -> bool {
    let Subject::System(i) = s else { return false };
    if ctx.model.systems[i].segment == Some(Segment::InternetConnected) {
        return true;
    }
    // Reachable means something comes in over the internet; a system that only sends out is not listening.
    let hit = ctx
        .graph
        .flows_into(Endpoint::System(i))
        .find(|&f| ctx.model.flows[f].via_any(&[Via::Internet]));
    if let Some(f) = hit {
        ev.path = Some(vec![f]);
    }
    hit.is_some()
}

fn system_sends(ctx: &Ctx, s: Subject, arg: &Arg, ev: &mut Evidence) -> bool {
    let (Subject::System(i), Arg::Class(class)) = (s, arg) else {
        return false;
    };
    let mut sent = ItemSet::default();
    for f in ctx.graph.flows_out_of(Endpoint::System(i)) {
        sent.union_with(&ctx.model.flows[f].items.set);
    }
    found_in(ev, &sent, ctx.class(*class))
}

fn system_receives_excluded(ctx: &Ctx, s: Subject, _: &Arg, ev: &mut Evidence) -> bool {
    let Subject::System(i) = s else { return false };
    let bad = ctx
        .graph
        .held(Endpoint::System(i))
        .intersect(&ctx.model.systems[i].excludes.set);
    if bad.is_empty() {
        return false;
    }
    let item = bad.iter().next();
    ev.path = item
        .map(|it| ctx.graph.explain(Endpoint::System(i), it))
        .filter(|p| !p.is_empty());
    ev.items = Some(bad);
    true
}

fn system_not(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::System(i) = s else { return false };
    says_not(ctx, Endpoint::System(i), arg)
}

fn system_unstated(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::System(i) = s else { return false };
    unstated_in(&ctx.model.systems[i].stated, arg)
}

fn system_status(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let (Subject::System(i), Arg::Status(want)) = (s, arg) else {
        return false;
    };
    want.contains(&ctx.model.systems[i].status)
}

fn system_retention_stated(ctx: &Ctx, s: Subject, _: &Arg, _: &mut Evidence) -> bool {
    let Subject::System(i) = s else { return false };
    let system = &ctx.model.systems[i];
    system.retention.is_some() || ctx.model.parties[system.party].retention.is_some()
}

fn system_receives_unknown(ctx: &Ctx, s: Subject, _: &Arg, ev: &mut Evidence) -> bool {
    let Subject::System(i) = s else { return false };
    let e = Endpoint::System(i);
    let hit = ctx.graph.flows_into(e).find(|&f| {
        let flow = &ctx.model.flows[f];
        flow.is_data() && flow.items_unstated()
    });
    if let Some(f) = hit {
        ev.path = Some(vec![f]);
        ev.unknown = true;
    }
    hit.is_some()
}

fn system_unreached(ctx: &Ctx, s: Subject, _: &Arg, _: &mut Evidence) -> bool {
    let Subject::System(i) = s else { return false };
    let e = Endpoint::System(i);
    // A relay named in a step's `through` is on the path even though no flow ends there.
    !ctx.relay_system[i] && ctx.graph.flows_into(e).next().is_none()
}

fn system_mynumber_meets_internet(ctx: &Ctx, s: Subject, _: &Arg, ev: &mut Evidence) -> bool {
    let Subject::System(i) = s else { return false };
    if ctx.model.systems[i].segment != Some(Segment::MyNumberUse) {
        return false;
    }
    match ctx.mynumber_internet_path(i) {
        Some(path) => {
            ev.path = Some(path);
            true
        }
        None => false,
    }
}

// ---- 関係者 ----------------------------------------------------------------------------------

fn party_role(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::Party(p) = s else { return false };
    role_in(ctx, Endpoint::Party(p), arg)
}

fn party_receives(ctx: &Ctx, s: Subject, arg: &Arg, ev: &mut Evidence) -> bool {
    let (Subject::Party(p), Arg::Class(class)) = (s, arg) else {
        return false;
    };
    let items = ctx.party_received(p).intersect(ctx.class(*class));
    let unknown = *class == ItemClass::Personal && ctx.graph.party_receives_unknown(p);
    if items.is_empty() && !unknown {
        return false;
    }
    ev.explain_party = Some(p);
    ev.unknown = unknown;
    ev.items = Some(items);
    true
}

fn party_receives_in_clear(ctx: &Ctx, s: Subject, arg: &Arg, ev: &mut Evidence) -> bool {
    let (Subject::Party(p), Arg::Class(class)) = (s, arg) else {
        return false;
    };
    let model = ctx.model;
    if blind(ctx, Endpoint::Party(p)) {
        return false;
    }
    let mut items = ctx.graph.received(Endpoint::Party(p)).clone();
    let mut unknown = ctx.graph.receives_unknown(Endpoint::Party(p));
    for e in ctx.graph.party_endpoints(p).skip(1) {
        let Endpoint::System(i) = e else { continue };
        let system = &model.systems[i];
        if system.kind == SystemKind::InfoProvisionNetwork || blind(ctx, e) {
            continue;
        }
        if system.party == p {
            items.union_with(ctx.graph.received(e));
        } else {
            // A host or a joint operator holds what the system holds.
            items.union_with(ctx.graph.held(e));
        }
        unknown |= ctx.graph.receives_unknown(e);
    }
    let items = items.intersect(ctx.class(*class));
    let unknown = unknown && *class == ItemClass::Personal;
    if items.is_empty() && !unknown {
        return false;
    }
    ev.explain_party = Some(p);
    ev.unknown = unknown;
    ev.items = Some(items);
    true
}

fn party_not(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::Party(p) = s else { return false };
    says_not(ctx, Endpoint::Party(p), arg)
}

fn party_unstated(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::Party(p) = s else { return false };
    unstated_in(&ctx.model.parties[p].stated, arg)
}

fn party_retention_stated(ctx: &Ctx, s: Subject, _: &Arg, _: &mut Evidence) -> bool {
    let Subject::Party(p) = s else { return false };
    ctx.model.parties[p].retention.is_some()
        || ctx.own_systems[p]
            .iter()
            .any(|&sys| ctx.model.systems[sys].retention.is_some())
}

fn party_stores(ctx: &Ctx, s: Subject, arg: &Arg, ev: &mut Evidence) -> bool {
    let (Subject::Party(p), Arg::Class(class)) = (s, arg) else {
        return false;
    };
    let mut items = ItemSet::default();
    for &sys in &ctx.own_systems[p] {
        items.union_with(&ctx.model.systems[sys].stores.set);
    }
    found_in(ev, &items, ctx.class(*class))
}

fn party_relays_in_clear(ctx: &Ctx, s: Subject, _: &Arg, ev: &mut Evidence) -> bool {
    let Subject::Party(p) = s else { return false };
    let model = ctx.model;
    let hit: Vec<usize> = (ctx.through_flows.iter().copied())
        .filter(|&f| {
            relays_in_clear(ctx, f)
                .iter()
                .any(|&e| model.party_of(e) == p)
        })
        .collect();
    let Some(&first) = hit.first() else {
        return false;
    };
    let mut items = ItemSet::default();
    for &f in &hit {
        items.union_with(&model.flows[f].items.set);
        ev.unknown |= model.flows[f].items_unstated();
    }
    ev.items = Some(items);
    ev.path = Some(vec![first]);
    true
}

fn party_declared(ctx: &Ctx, s: Subject, _: &Arg, _: &mut Evidence) -> bool {
    let Subject::Party(p) = s else { return false };
    ctx.model.declared_for(p).is_some()
}

fn party_declared_as(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::Party(p) = s else { return false };
    ctx.model
        .declared_for(p)
        .is_some_and(|d| basis_in(&d.basis, arg))
}

fn party_control(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::Party(p) = s else { return false };
    has_any(&ctx.model.parties[p].controls, arg)
}

/// Flows that bring personal data to party `p` (or a system it runs) from a party declared as 委託先 or 再委託先.
fn processor_inflows(ctx: &Ctx, p: usize) -> Vec<usize> {
    let model = ctx.model;
    let mut flows: Vec<usize> = ctx
        .graph
        .party_endpoints(p)
        .filter(|&e| model.party_of(e) == p && !blind(ctx, e))
        .flat_map(|e| ctx.graph.flows_into(e))
        .filter(|&f| {
            let flow = &model.flows[f];
            let from = model.party_of(flow.from);
            flow.carries_personal()
                && from != p
                && model.declared_for(from).is_some_and(|d| {
                    matches!(
                        BasisKind::of(&d.basis),
                        BasisKind::Outsourcing | BasisKind::Subcontract
                    )
                })
        })
        .collect();
    flows.sort_unstable();
    flows
}

fn party_receives_from_processor(ctx: &Ctx, s: Subject, _: &Arg, ev: &mut Evidence) -> bool {
    let Subject::Party(p) = s else { return false };
    let flows = processor_inflows(ctx, p);
    let Some(&first) = flows.first() else {
        return false;
    };
    let mut items = ItemSet::default();
    for &f in &flows {
        items.union_with(&ctx.model.flows[f].items.set);
        ev.unknown |= ctx.model.flows[f].items_unstated();
    }
    ev.items = Some(items);
    ev.path = Some(vec![first]);
    true
}

fn party_subcontract_declared_via_sender(ctx: &Ctx, s: Subject, _: &Arg, _: &mut Evidence) -> bool {
    let Subject::Party(p) = s else { return false };
    let Some(Basis::Subcontract { via, .. }) = ctx.model.declared_for(p).map(|d| &d.basis) else {
        return false;
    };
    processor_inflows(ctx, p)
        .iter()
        .all(|&f| ctx.model.parties[ctx.model.party_of(ctx.model.flows[f].from)].name == *via)
}

// ---- 相手方 ----------------------------------------------------------------------------------

fn declared_basis(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::Declared(d) = s else {
        return false;
    };
    basis_in(&ctx.model.declared[d].basis, arg)
}

fn declared_consent(ctx: &Ctx, s: Subject, _: &Arg, _: &mut Evidence) -> bool {
    let Subject::Declared(d) = s else {
        return false;
    };
    matches!(
        ctx.model.declared[d].basis,
        Basis::Subcontract {
            consent: Some(true),
            ..
        }
    )
}

fn declared_consent_refused(ctx: &Ctx, s: Subject, _: &Arg, _: &mut Evidence) -> bool {
    let Subject::Declared(d) = s else {
        return false;
    };
    matches!(
        ctx.model.declared[d].basis,
        Basis::Subcontract {
            consent: Some(false),
            ..
        }
    )
}

fn declared_beyond(ctx: &Ctx, s: Subject, _: &Arg, ev: &mut Evidence) -> bool {
    let Subject::Declared(d) = s else {
        return false;
    };
    let declared = &ctx.model.declared[d];
    let extra = ctx
        .party_received(declared.party)
        .difference(&declared.items.set);
    if extra.is_empty() {
        return false;
    }
    ev.explain_party = Some(declared.party);
    ev.items = Some(extra);
    true
}

fn declared_receives_nothing(ctx: &Ctx, s: Subject, _: &Arg, _: &mut Evidence) -> bool {
    let Subject::Declared(d) = s else {
        return false;
    };
    let party = ctx.model.declared[d].party;
    ctx.party_received(party).is_empty() && !ctx.graph.party_receives_unknown(party)
}

fn declared_receives(ctx: &Ctx, s: Subject, arg: &Arg, ev: &mut Evidence) -> bool {
    let (Subject::Declared(d), Arg::Class(class)) = (s, arg) else {
        return false;
    };
    found_in(
        ev,
        ctx.party_received(ctx.model.declared[d].party),
        ctx.class(*class),
    )
}

fn declared_unstated(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::Declared(d) = s else {
        return false;
    };
    unstated_in(&ctx.model.declared[d].stated, arg)
}

fn declared_law_stated(ctx: &Ctx, s: Subject, _: &Arg, _: &mut Evidence) -> bool {
    let Subject::Declared(d) = s else {
        return false;
    };
    ctx.model.declared[d].law.is_some()
}

fn declared_mynumber_law_stated(ctx: &Ctx, s: Subject, _: &Arg, _: &mut Evidence) -> bool {
    let Subject::Declared(d) = s else {
        return false;
    };
    ctx.model.declared[d].law.as_deref().is_some_and(|law| {
        law.contains("番号法")
            || law.contains("番号利用法")
            || law.contains("特定の個人を識別するための番号")
    })
}

/// Like `beyond-declared`, but items that reach the party only from the 情報提供ネットワークシステム (a 機関別符号
/// the 委託先 obtains itself) do not count: the body did not hand them over.
fn declared_beyond_from_body(ctx: &Ctx, s: Subject, _: &Arg, ev: &mut Evidence) -> bool {
    let Subject::Declared(d) = s else {
        return false;
    };
    let model = ctx.model;
    let declared = &model.declared[d];
    let mut from_network = ItemSet::default();
    let mut from_others = ItemSet::default();
    for e in ctx.graph.party_endpoints(declared.party) {
        for f in ctx.graph.flows_into(e) {
            let flow = &model.flows[f];
            if blind(ctx, flow.from) {
                from_network.union_with(&flow.items.set);
            } else {
                from_others.union_with(&flow.items.set);
            }
        }
    }
    let only_network = from_network.difference(&from_others);
    let extra = ctx
        .party_received(declared.party)
        .difference(&declared.items.set)
        .difference(&only_network);
    found(ev, extra)
}

fn declared_subject_consent(ctx: &Ctx, s: Subject, _: &Arg, _: &mut Evidence) -> bool {
    let Subject::Declared(d) = s else {
        return false;
    };
    ctx.model.declared[d].subject_consent
}

fn declared_not_received(ctx: &Ctx, s: Subject, _: &Arg, ev: &mut Evidence) -> bool {
    let Subject::Declared(d) = s else {
        return false;
    };
    let declared = &ctx.model.declared[d];
    let received = ctx.party_received(declared.party);
    if received.is_empty() || ctx.graph.party_receives_unknown(declared.party) {
        return false;
    }
    found(ev, declared.items.set.difference(received))
}

fn declared_receives_beyond_changes(ctx: &Ctx, s: Subject, _: &Arg, ev: &mut Evidence) -> bool {
    let Subject::Declared(d) = s else {
        return false;
    };
    let model = ctx.model;
    let changes = &model.changes.set;
    if changes.is_empty() {
        return false;
    }
    // What is handed to the party by steps (a host holds the whole database whatever the change, so hosting
    // alone is not asked about here).
    let party = model.declared[d].party;
    let mut handed = ItemSet::default();
    for e in ctx.graph.party_endpoints(party) {
        if model.party_of(e) == party {
            handed.union_with(ctx.graph.received(e));
        }
    }
    let excess = handed.difference(changes);
    let sensitive = !excess
        .intersect(ctx.class(ItemClass::SensitiveOrMyNumber))
        .is_empty();
    if excess.len() < 20 || excess.len() < 5 * changes.len() || !sensitive {
        return false;
    }
    ev.detail = Some(format!(
        "{}（{}項目）",
        model.item_names_capped(changes, 6),
        changes.len()
    ));
    ev.items = Some(excess);
    true
}

fn declared_party_not(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::Declared(d) = s else {
        return false;
    };
    says_not(ctx, Endpoint::Party(ctx.model.declared[d].party), arg)
}

fn declared_party_unstated(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::Declared(d) = s else {
        return false;
    };
    unstated_in(&ctx.model.parties[ctx.model.declared[d].party].stated, arg)
}

fn declared_party_control(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::Declared(d) = s else {
        return false;
    };
    let party = ctx.model.declared[d].party;
    has_any(&ctx.model.parties[party].controls, arg)
        || ctx
            .model
            .systems
            .iter()
            .filter(|sys| sys.party == party)
            .any(|sys| has_any(&sys.controls, arg))
}

// ---- 情報項目 --------------------------------------------------------------------------------

fn item_carried(ctx: &Ctx, s: Subject, _: &Arg, _: &mut Evidence) -> bool {
    let Subject::Item(i) = s else { return false };
    ctx.carried.contains(i)
}

fn item_in_declared(ctx: &Ctx, s: Subject, _: &Arg, _: &mut Evidence) -> bool {
    let Subject::Item(i) = s else { return false };
    ctx.model.declared.iter().any(|d| d.items.set.contains(i))
}

fn item_sent_outside(ctx: &Ctx, s: Subject, _: &Arg, ev: &mut Evidence) -> bool {
    let Subject::Item(i) = s else { return false };
    let model = ctx.model;
    let hit = model.flows.iter().position(|f| {
        f.items.set.contains(i) && model.parties[model.party_of(f.to)].role == Role::External
    });
    if let Some(f) = hit {
        ev.path = Some(vec![f]);
    }
    hit.is_some()
}

fn item_model_has_declared(ctx: &Ctx, _: Subject, _: &Arg, _: &mut Evidence) -> bool {
    !ctx.model.declared.is_empty()
}

// ---- 受容 ------------------------------------------------------------------------------------

fn acceptance_expired(ctx: &Ctx, s: Subject, _: &Arg, _: &mut Evidence) -> bool {
    let Subject::Acceptance(a) = s else {
        return false;
    };
    ctx.model.accepted[a]
        .until
        .as_deref()
        .and_then(crate::date::parse)
        .is_some_and(|until| until < ctx.today)
}

fn acceptance_covers_unrecorded(ctx: &Ctx, s: Subject, _: &Arg, _: &mut Evidence) -> bool {
    let Subject::Acceptance(a) = s else {
        return false;
    };
    ctx.model.accepted[a].covers.is_none()
}

fn acceptance_matches_nothing(ctx: &Ctx, s: Subject, _: &Arg, _: &mut Evidence) -> bool {
    let Subject::Acceptance(a) = s else {
        return false;
    };
    !ctx.finding_ids
        .iter()
        .any(|id| super::engine::wildcard_match(&ctx.model.accepted[a].finding, id))
}

// ---- v2: paths, omissions, stated absences ------------------------------------------------------

fn flow_from_declared_as(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::Flow(f) = s else { return false };
    let party = ctx.model.party_of(ctx.model.flows[f].from);
    ctx.model
        .declared_for(party)
        .is_some_and(|d| basis_in(&d.basis, arg))
}

fn flow_to_holds(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let (Subject::Flow(f), Arg::Class(class)) = (s, arg) else {
        return false;
    };
    let held = match ctx.model.flows[f].to {
        // A party holds what reaches it or the systems it runs.
        Endpoint::Party(p) => ctx.party_received(p),
        e => ctx.graph.held(e),
    };
    held.intersects(ctx.class(*class))
}

fn flow_via_network(ctx: &Ctx, s: Subject, _: &Arg, _: &mut Evidence) -> bool {
    let Subject::Flow(f) = s else { return false };
    ctx.model.flows[f].via.iter().any(|v| v.is_network())
}

/// Controls on a flow's path: the flow, its two ends (system and party), and systems the sender connects to
/// (a connection broker such as a 接続管理用サーバ).
fn flow_control_on_path(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::Flow(f) = s else { return false };
    let model = ctx.model;
    let flow = &model.flows[f];
    let on = |e: Endpoint| match e {
        Endpoint::System(i) => has_any(&model.systems[i].controls, arg),
        Endpoint::Party(p) => has_any(&model.parties[p].controls, arg),
    };
    if has_any(&flow.controls, arg) || on(flow.from) || on(flow.to) {
        return true;
    }
    ctx.graph.flows_out_of(flow.from).any(|g| {
        let other = &model.flows[g];
        other.kind == FlowKind::Connection && (has_any(&other.controls, arg) || on(other.to))
    })
}

fn flow_omits(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let (Subject::Flow(f), Arg::Unstated(want)) = (s, arg) else {
        return false;
    };
    let flow = &ctx.model.flows[f];
    flow.is_data()
        && want.iter().any(|&u| {
            !flow.stated.is_unstated(u)
                && match u {
                    Unstated::Via => flow.via.is_empty(),
                    Unstated::Items => flow.items.set.is_empty(),
                    Unstated::Controls => {
                        flow.controls.written.is_empty() && flow.controls.na.is_empty()
                    }
                    _ => false,
                }
        })
}

fn flow_lacks(ctx: &Ctx, s: Subject, arg: &Arg, ev: &mut Evidence) -> bool {
    let Subject::Flow(f) = s else { return false };
    let controls = &ctx.model.flows[f].controls;
    missing_groups(arg, |id| controls.has_or_na(id), ev)
}

/// For `name=id+id|name=id` groups: the names of the groups none of whose ids `has` finds, into `{detail}`.
fn missing_groups(arg: &Arg, has: impl Fn(&str) -> bool, ev: &mut Evidence) -> bool {
    let Arg::Controls(groups) = arg else {
        return false;
    };
    let missing: Vec<&str> = groups
        .iter()
        .filter_map(|group| {
            let (name, ids) = group.split_once('=').unwrap_or((group, group));
            (!ids.split('+').any(&has)).then_some(name)
        })
        .collect();
    if missing.is_empty() {
        return false;
    }
    ev.detail = Some(missing.join("、"));
    true
}

fn flow_from_place(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let (Subject::Flow(f), Arg::Place(want)) = (s, arg) else {
        return false;
    };
    system_of(ctx.model.flows[f].from)
        .and_then(|i| ctx.model.systems[i].place)
        .is_some_and(|p| want.contains(&p))
}

fn system_omits(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let (Subject::System(i), Arg::Unstated(want)) = (s, arg) else {
        return false;
    };
    let system = &ctx.model.systems[i];
    want.iter().any(|&u| {
        !system.stated.is_unstated(u)
            && match u {
                Unstated::Segment => system.segment.is_none(),
                Unstated::Hosting => system.hosting.is_none(),
                Unstated::Retention => system.retention.is_none(),
                _ => false,
            }
    })
}

/// For each stated absence of `endpoints` (a system, or a party and its systems), the first flow or store that
/// contradicts it, as 「インターネット接続」しないとしているが流れ③がある.
fn contradictions(
    ctx: &Ctx,
    endpoints: &[Endpoint],
    absences: &[Absence],
) -> Vec<(String, Option<usize>)> {
    let model = ctx.model;
    let inflows: Vec<usize> = endpoints
        .iter()
        .flat_map(|&e| ctx.graph.flows_into(e))
        .collect();
    let outflows: Vec<usize> = endpoints
        .iter()
        .flat_map(|&e| ctx.graph.flows_out_of(e))
        .collect();
    let both: Vec<usize> = inflows.iter().chain(outflows.iter()).copied().collect();
    let mut out = Vec::new();
    for &absence in absences {
        let flow = match absence {
            Absence::InternetAccess => both
                .iter()
                .copied()
                .find(|&f| model.flows[f].via_any(&[Via::Internet])),
            Absence::InboundAccess => inflows.iter().copied().find(|&f| {
                let flow = &model.flows[f];
                let from_role = model.parties[model.party_of(flow.from)].role;
                let off_site = system_of(flow.from)
                    .is_some_and(|i| model.systems[i].place == Some(Place::Outside));
                flow.via.iter().any(|v| v.is_network())
                    && (matches!(from_role, Role::External | Role::Subject) || off_site)
            }),
            Absence::PersonalData => inflows
                .iter()
                .copied()
                .find(|&f| model.flows[f].carries_personal()),
            Absence::ExternalDevices => both
                .iter()
                .copied()
                .find(|&f| model.flows[f].via_any(&[Via::Media])),
            Absence::Printing => outflows.iter().copied().find(|&f| {
                model.flows[f].via_any(&[Via::Paper]) && model.flows[f].carries_personal()
            }),
            _ => None,
        };
        let mut stored_items = ItemSet::default();
        if absence == Absence::Storage {
            for &e in endpoints {
                if let Some(i) = system_of(e) {
                    stored_items.union_with(&model.systems[i].stores.set);
                }
            }
        }
        let stored = !stored_items.is_empty();
        let subcontracts = absence == Absence::Subcontracting && {
            let names: Vec<&str> = endpoints
                .iter()
                .map(|&e| model.parties[model.party_of(e)].name.as_str())
                .collect();
            model.declared.iter().any(|d| {
                matches!(&d.basis, Basis::Subcontract { via, .. } if names.contains(&via.as_str()))
            })
        };
        if let Some(f) = flow {
            out.push((
                format!(
                    "「{}」しないとしているが、流れ{}がある",
                    absence.ja(),
                    model.flows[f].no.mark()
                ),
                Some(f),
            ));
        } else if stored {
            out.push((
                format!(
                    "「{}」しないとしているが、図では情報項目（{}）を保存している",
                    absence.ja(),
                    model.item_names_capped(&stored_items, 6)
                ),
                None,
            ));
        } else if subcontracts {
            out.push((
                format!(
                    "「{}」しないとしているが、別紙にこの相手方からの再委託がある",
                    absence.ja()
                ),
                None,
            ));
        }
    }
    out
}

fn contradiction_evidence(found: Vec<(String, Option<usize>)>, ev: &mut Evidence) -> bool {
    if found.is_empty() {
        return false;
    }
    ev.detail = Some(
        found
            .iter()
            .map(|(t, _)| t.as_str())
            .collect::<Vec<_>>()
            .join("。"),
    );
    ev.path = found.iter().find_map(|(_, f)| f.map(|f| vec![f]));
    true
}

fn system_absence_contradicted(ctx: &Ctx, s: Subject, _: &Arg, ev: &mut Evidence) -> bool {
    let Subject::System(i) = s else { return false };
    let absences = ctx.model.systems[i].stated.not.clone();
    contradiction_evidence(contradictions(ctx, &[Endpoint::System(i)], &absences), ev)
}

fn party_absence_contradicted(ctx: &Ctx, s: Subject, _: &Arg, ev: &mut Evidence) -> bool {
    let Subject::Party(p) = s else { return false };
    let absences = ctx.model.parties[p].stated.not.clone();
    let endpoints: Vec<Endpoint> = ctx
        .graph
        .party_endpoints(p)
        .filter(|&e| ctx.model.party_of(e) == p)
        .collect();
    contradiction_evidence(contradictions(ctx, &endpoints, &absences), ev)
}

/// `lacks:利用者認証=authentication+two-factor|アクセス制御=access-control`: the named safeguards of which the
/// system states none of the ids (nor does its party); their names go to `{detail}`.
fn system_lacks(ctx: &Ctx, s: Subject, arg: &Arg, ev: &mut Evidence) -> bool {
    let Subject::System(i) = s else { return false };
    let system = &ctx.model.systems[i];
    let party = &ctx.model.parties[system.party];
    missing_groups(
        arg,
        |id| system.controls.has_or_na(id) || party.controls.has_or_na(id),
        ev,
    )
}

fn system_reached_by_body_not_via(ctx: &Ctx, s: Subject, arg: &Arg, ev: &mut Evidence) -> bool {
    let (Subject::System(i), Arg::Via(want)) = (s, arg) else {
        return false;
    };
    let model = ctx.model;
    let hit = ctx.graph.flows_into(Endpoint::System(i)).find(|&f| {
        let flow = &model.flows[f];
        matches!(
            model.parties[model.party_of(flow.from)].role,
            Role::Agency | Role::Internal
        ) && flow.is_data()
            && !flow.via_any(want)
    });
    if let Some(f) = hit {
        ev.path = Some(vec![f]);
    }
    hit.is_some()
}

fn system_receives_excluded_of(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let (Subject::System(i), Arg::Class(class)) = (s, arg) else {
        return false;
    };
    !ctx.graph
        .held(Endpoint::System(i))
        .intersect(&ctx.model.systems[i].excludes.set)
        .intersect(ctx.class(*class))
        .is_empty()
}

fn system_internet_staff_reachable(ctx: &Ctx, s: Subject, _: &Arg, ev: &mut Evidence) -> bool {
    let Subject::System(i) = s else { return false };
    let internet = super::engine::via_mask(&[Via::Internet]);
    let hit = ctx
        .graph
        .flows_into(Endpoint::System(i))
        .find(|&f| ctx.flow_via_mask[f] & internet != 0 && ctx.flow_roles[f].0 != Role::Subject);
    if let Some(f) = hit {
        ev.path = Some(vec![f]);
    }
    hit.is_some()
}

fn system_control_reachable(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::System(i) = s else { return false };
    let model = ctx.model;
    let e = Endpoint::System(i);
    has_any(&model.systems[i].controls, arg)
        || ctx.graph.flows_out_of(e).any(|f| {
            has_any(&model.flows[f].controls, arg)
                || system_of(model.flows[f].to)
                    .is_some_and(|t| has_any(&model.systems[t].controls, arg))
        })
}

fn system_party_declared_as(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::System(i) = s else { return false };
    ctx.model
        .declared_for(ctx.model.systems[i].party)
        .is_some_and(|d| basis_in(&d.basis, arg))
}

fn system_party_control(ctx: &Ctx, s: Subject, arg: &Arg, _: &mut Evidence) -> bool {
    let Subject::System(i) = s else { return false };
    let system = &ctx.model.systems[i];
    std::iter::once(system.party)
        .chain(system.host)
        .chain(system.joint.iter().copied())
        .any(|p| has_any(&ctx.model.parties[p].controls, arg))
}

fn system_serves_body(ctx: &Ctx, s: Subject, _: &Arg, ev: &mut Evidence) -> bool {
    let Subject::System(i) = s else { return false };
    let model = ctx.model;
    let e = Endpoint::System(i);
    let body = |x: Endpoint| {
        matches!(
            model.parties[model.party_of(x)].role,
            Role::Agency | Role::Internal
        )
    };
    let hit = ctx
        .graph
        .flows_into(e)
        .find(|&f| body(model.flows[f].from) && model.flows[f].carries_personal())
        .or_else(|| {
            ctx.graph
                .flows_out_of(e)
                .find(|&f| body(model.flows[f].to) && model.flows[f].carries_personal())
        });
    if let Some(f) = hit {
        ev.path = Some(vec![f]);
    }
    hit.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predicate_names_are_unique_per_subject() {
        for (i, a) in PREDICATES.iter().enumerate() {
            for b in &PREDICATES[i + 1..] {
                assert!(
                    !(a.on == b.on && a.name == b.name),
                    "duplicate predicate {}",
                    a.name
                );
            }
        }
    }

    #[test]
    fn parses_arguments() {
        let (p, arg) = parse(SubjectKind::Flow, "via:インターネット|Email").unwrap();
        assert_eq!(p.name, "via");
        assert_eq!(arg, Arg::Via(vec![Via::Internet, Via::Email]));
        assert!(parse(SubjectKind::Flow, "via:インタネット").is_err());
        assert!(parse(SubjectKind::Flow, "empty:x").is_err());
        assert!(parse(SubjectKind::System, "via:LGWAN").is_err());
    }
}
