//! The stages of a project (ARC KSS 2021, Figure 7) and how the public take part in each.

use serde::Serialize;

/// The stages of a project, research or service, in order (ARC KSS 2021, Figure 7).
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    DeterminingPriorities,
    Design,
    DecisionMaking,
    Delivery,
    EvaluationAnalysisSharing,
}

impl Stage {
    /// Every stage, in project order.
    pub const ALL: [Stage; 5] = [
        Self::DeterminingPriorities,
        Self::Design,
        Self::DecisionMaking,
        Self::Delivery,
        Self::EvaluationAnalysisSharing,
    ];

    /// The wire name, as serialised (`"determining-priorities"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DeterminingPriorities => "determining-priorities",
            Self::Design => "design",
            Self::DecisionMaking => "decision-making",
            Self::Delivery => "delivery",
            Self::EvaluationAnalysisSharing => "evaluation-analysis-sharing",
        }
    }

    /// Parses a wire name; unknown names are `None`.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Short heading.
    pub fn label(self) -> &'static str {
        match self {
            Self::DeterminingPriorities => "Determining priorities",
            Self::Design => "Design",
            Self::DecisionMaking => "Decision-making",
            Self::Delivery => "Delivery",
            Self::EvaluationAnalysisSharing => "Evaluation, analysis and sharing",
        }
    }

    /// What happens at this stage, in plain words.
    pub fn description(self) -> &'static str {
        match self {
            Self::DeterminingPriorities => {
                "Choosing what the work should focus on, and what it is for."
            }
            Self::Design => "Working out how the study or service will be done.",
            Self::DecisionMaking => "How choices get made along the way, and who makes them.",
            Self::Delivery => "Doing the work: running the study or the service.",
            Self::EvaluationAnalysisSharing => {
                "Looking at what happened, making sense of it, and telling people."
            }
        }
    }
}

/// How the public take part at a stage (ARC KSS 2021, Figure 7 and Appendix 1).
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Approach {
    /// Public members and professionals share power and decide together.
    CoProduction,
    /// Public and community involvement and engagement (PCIE): professionals ask public
    /// members for their views, and usually keep the final say.
    Pcie,
    /// The group has not chosen yet.
    NotDecided,
}

impl Approach {
    /// Every approach, in the order a form offers them.
    pub const ALL: [Approach; 3] = [Self::CoProduction, Self::Pcie, Self::NotDecided];

    /// The wire name, as serialised (`"co-production"`, `"pcie"`, `"not-decided"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CoProduction => "co-production",
            Self::Pcie => "pcie",
            Self::NotDecided => "not-decided",
        }
    }

    /// Parses a wire name; unknown names are `None`.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// A few words, for a table column.
    pub fn short(self) -> &'static str {
        match self {
            Self::CoProduction => "Co-production",
            Self::Pcie => "Public involvement (PCIE)",
            Self::NotDecided => "Not decided yet",
        }
    }

    /// Plain label for a form or an export.
    pub fn label(self) -> &'static str {
        match self {
            Self::CoProduction => "Co-production: we share power and decide together",
            Self::Pcie => "Public involvement (PCIE): the public give views, the team decides",
            Self::NotDecided => "Not decided yet",
        }
    }
}
