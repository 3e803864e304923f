//! The closed vocabularies of the model language: each value has its Japanese name (shown to users) and an English alias.

use serde::{Deserialize, Serialize};

/// Declares an enum whose values deserialize from their Japanese name or English alias and display in Japanese.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $ja:literal | $en:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
        pub enum $name {
            $(
                #[serde(rename = $ja, alias = $en)]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The Japanese name, as written in models and shown to users.
            pub fn ja(self) -> &'static str {
                match self { $($name::$variant => $ja),+ }
            }

            /// The English alias accepted in models.
            pub fn en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.ja())
            }
        }
    };
}

vocabulary! {
    /// Who a party is in relation to the data.
    Role {
        Subject = "本人" | "Subject",
        Agency = "実施機関" | "Agency",
        Internal = "庁内" | "Internal",
        External = "外部" | "External",
    }
}

vocabulary! {
    /// The network segment a system sits in (三層の対策).
    Segment {
        MyNumberUse = "マイナンバー利用事務系" | "MyNumberUse",
        LgwanConnected = "LGWAN接続系" | "LgwanConnected",
        InternetConnected = "インターネット接続系" | "InternetConnected",
        LgwanAsp = "LGWAN_ASP" | "LgwanAsp",
        GovCloud = "ガバメントクラウド" | "GovCloud",
        External = "外部" | "External",
    }
}

vocabulary! {
    /// Where a system runs.
    Hosting {
        OnPremises = "オンプレミス" | "OnPremises",
        DataCenter = "データセンター" | "DataCenter",
        Cloud = "クラウド" | "Cloud",
        GovCloud = "ガバメントクラウド" | "GovCloud",
    }
}

vocabulary! {
    /// What a system is, where rules need to know.
    SystemKind {
        Business = "業務システム" | "Business",
        Terminal = "端末" | "Terminal",
        AddressSystem = "団体内統合宛名システム" | "AddressSystem",
        IntermediateServer = "中間サーバー" | "IntermediateServer",
        InfoProvisionNetwork = "情報提供ネットワークシステム" | "InfoProvisionNetwork",
        Media = "記録媒体" | "Media",
        Relay = "中継" | "Relay",
    }
}

#[allow(clippy::derivable_impls)] // the vocabulary macro fixes the derive list
impl Default for SystemKind {
    fn default() -> Self {
        SystemKind::Business
    }
}

vocabulary! {
    /// How a flow travels.
    Via {
        Internet = "インターネット" | "Internet",
        Lgwan = "LGWAN" | "Lgwan",
        ClosedNetwork = "閉域網" | "ClosedNetwork",
        LeasedLine = "専用線" | "LeasedLine",
        OfficeLan = "庁内LAN" | "OfficeLan",
        ServerToServer = "サーバ間" | "ServerToServer",
        Media = "電子記録媒体" | "Media",
        Paper = "紙" | "Paper",
        Post = "郵送" | "Post",
        Phone = "電話" | "Phone",
        Fax = "FAX" | "Fax",
        Email = "電子メール" | "Email",
        Hand = "手渡し" | "Hand",
        ManualEntry = "手入力" | "ManualEntry",
        ScreenView = "画面参照" | "ScreenView",
        JukiNet = "住基ネット" | "JukiNet",
        Observation = "現地調査" | "Observation",
    }
}

impl Via {
    /// The network label drawn beside a link, in the committee papers' style (【インターネット回線】).
    pub fn link_label(self) -> String {
        match self {
            Via::Internet => "【インターネット回線】".to_string(),
            Via::Lgwan => "【LGWAN回線】".to_string(),
            Via::ClosedNetwork => "【閉域網】".to_string(),
            Via::LeasedLine => "【専用回線】".to_string(),
            Via::JukiNet => "【住基ネット】".to_string(),
            other => format!("【{}】", other.ja()),
        }
    }

    /// True for a network link (as opposed to paper, post, phone or a hand-over).
    pub fn is_network(self) -> bool {
        matches!(
            self,
            Via::Internet
                | Via::Lgwan
                | Via::ClosedNetwork
                | Via::LeasedLine
                | Via::OfficeLan
                | Via::ServerToServer
                | Via::Email
                | Via::JukiNet
        )
    }

    /// True for a medium that is a thing handed over or carried (paper, media, post, a hand-over).
    pub fn is_physical(self) -> bool {
        matches!(self, Via::Media | Via::Paper | Via::Post | Via::Hand)
    }
}

vocabulary! {
    /// What an arrow in the figure is: a transfer of information, or something else the paper draws.
    FlowKind {
        Data = "データ" | "Data",
        Connection = "接続" | "Connection",
        Control = "制御" | "Control",
        Service = "物・役務" | "Service",
        Report = "報告" | "Report",
    }
}

#[allow(clippy::derivable_impls)] // the vocabulary macro fixes the derive list
impl Default for FlowKind {
    fn default() -> Self {
        FlowKind::Data
    }
}

vocabulary! {
    /// Whether a physical medium stays inside the office or is carried outside it.
    Place {
        Inside = "庁内" | "Inside",
        Outside = "庁外" | "Outside",
    }
}

vocabulary! {
    /// Whether a system is in use now or only planned (a paper describing a migration shows both).
    SystemStatus {
        Current = "現行" | "Current",
        Planned = "移行予定" | "Planned",
        Retiring = "廃止予定" | "Retiring",
    }
}

#[allow(clippy::derivable_impls)] // the vocabulary macro fixes the derive list
impl Default for SystemStatus {
    fn default() -> Self {
        SystemStatus::Current
    }
}

vocabulary! {
    /// What the paper says does *not* happen (「インターネット接続不可」「個人情報は取り扱わない」).
    Absence {
        InternetAccess = "インターネット接続" | "InternetAccess",
        InboundAccess = "外部からの接続" | "InboundAccess",
        PersonalData = "個人情報の取扱い" | "PersonalData",
        Storage = "保存" | "Storage",
        ProviderAccess = "事業者のアクセス" | "ProviderAccess",
        Subcontracting = "再委託" | "Subcontracting",
        ExternalDevices = "外部機器の接続" | "ExternalDevices",
        Printing = "印刷" | "Printing",
    }
}

vocabulary! {
    /// A field the paper leaves open: written in `unstated: [...]` instead of guessed.
    Unstated {
        Via = "経路" | "via",
        Items = "情報項目" | "items",
        Controls = "対策" | "controls",
        Segment = "セグメント" | "segment",
        Hosting = "設置形態" | "hosting",
        Retention = "保存期間" | "retention",
        Name = "名称" | "name",
        Law = "根拠法令" | "law",
        Method = "方法" | "method",
        Period = "期間" | "period",
        Consent = "承諾" | "consent",
        Handlers = "取扱者数" | "handlers",
        SeriousIncident = "重大事故" | "serious_incident",
    }
}

vocabulary! {
    /// How sensitive an item is.
    ItemKind {
        General = "一般" | "General",
        Sensitive = "要配慮個人情報" | "Sensitive",
        MyNumber = "個人番号" | "MyNumber",
    }
}

#[allow(clippy::derivable_impls)] // the vocabulary macro fixes the derive list
impl Default for ItemKind {
    fn default() -> Self {
        ItemKind::General
    }
}

vocabulary! {
    /// 特定個人情報保護評価 level.
    AssessmentLevel {
        Basic = "基礎項目評価" | "Basic",
        Focused = "重点項目評価" | "Focused",
        Full = "全項目評価" | "Full",
    }
}

/// On what basis a declared party receives data (the 別紙's heading).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum Basis {
    #[serde(rename = "外部結合", alias = "ExternalLink")]
    ExternalLink,
    #[serde(rename = "業務委託", alias = "Outsourcing")]
    Outsourcing,
    /// `consent` is the 委託元's 承諾（許諾）: true, false (the paper says it was not given), or left out with
    /// `unstated: [consent]` when the paper does not say.
    #[serde(rename = "再委託", alias = "Subcontract")]
    Subcontract {
        via: String,
        #[serde(default)]
        consent: Option<bool>,
    },
    #[serde(rename = "提供", alias = "Provision")]
    Provision,
    #[serde(rename = "目的外利用", alias = "OtherPurposeUse")]
    OtherPurposeUse,
    /// A party the paper lists as a 入手元 or a route of 入手 (評価書 II 3: 電子申請 through マイナポータル).
    #[serde(rename = "入手", alias = "Intake")]
    Intake,
}

impl Basis {
    /// The Japanese name of the basis.
    pub fn ja(&self) -> &'static str {
        match self {
            Basis::ExternalLink => "外部結合",
            Basis::Outsourcing => "業務委託",
            Basis::Subcontract { .. } => "再委託",
            Basis::Provision => "提供",
            Basis::OtherPurposeUse => "目的外利用",
            Basis::Intake => "入手",
        }
    }
}

/// Every Japanese name with its English alias, for suggestions on a misspelt enum value.
pub(crate) fn all_names() -> Vec<(&'static str, &'static str)> {
    fn pairs<T: Copy>(
        all: &[T],
        ja: fn(T) -> &'static str,
        en: fn(T) -> &'static str,
    ) -> Vec<(&'static str, &'static str)> {
        all.iter().map(|&v| (ja(v), en(v))).collect()
    }
    let mut out = Vec::new();
    out.extend(pairs(Role::ALL, Role::ja, Role::en));
    out.extend(pairs(Segment::ALL, Segment::ja, Segment::en));
    out.extend(pairs(Hosting::ALL, Hosting::ja, Hosting::en));
    out.extend(pairs(SystemKind::ALL, SystemKind::ja, SystemKind::en));
    out.extend(pairs(Via::ALL, Via::ja, Via::en));
    out.extend(pairs(ItemKind::ALL, ItemKind::ja, ItemKind::en));
    out.extend(pairs(
        AssessmentLevel::ALL,
        AssessmentLevel::ja,
        AssessmentLevel::en,
    ));
    out.extend([
        ("外部結合", "ExternalLink"),
        ("業務委託", "Outsourcing"),
        ("再委託", "Subcontract"),
        ("提供", "Provision"),
        ("目的外利用", "OtherPurposeUse"),
        ("入手", "Intake"),
    ]);
    out.extend(pairs(FlowKind::ALL, FlowKind::ja, FlowKind::en));
    out.extend(pairs(Place::ALL, Place::ja, Place::en));
    out.extend(pairs(SystemStatus::ALL, SystemStatus::ja, SystemStatus::en));
    out.extend(pairs(Absence::ALL, Absence::ja, Absence::en));
    out.extend(pairs(Unstated::ALL, Unstated::ja, Unstated::en));
    out
}
