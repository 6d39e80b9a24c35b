//! LiteLLM proxy budget and spend alerts (its `webhook` alerting
//! integration): a flat object,
//! `{"event": "budget_crossed", "event_group": "team", "spend": ..., "max_budget": ..., ...}`.
//!
//! The proxy serializes every field, `null` when unset; [`BudgetAlert`]
//! keeps that, so a decoded alert re-encodes to the same JSON.

use serde::{Deserialize, Serialize};

use crate::error::{DecodeError, decode_at};

open_enum! {
    /// The `event` of a LiteLLM alert.
    pub enum LiteLlmEvent {
        /// Spend went over `max_budget`.
        BudgetCrossed = "budget_crossed",
        /// Spend went over `soft_budget`.
        SoftBudgetCrossed = "soft_budget_crossed",
        /// Spend crossed an alert threshold (85% / 95% by default) of `max_budget`.
        ThresholdCrossed = "threshold_crossed",
        /// Projected spend will exceed `max_budget` before the period ends.
        ProjectedLimitExceeded = "projected_limit_exceeded",
        /// A virtual key was created.
        KeyCreated = "key_created",
        /// An internal user was created.
        InternalUserCreated = "internal_user_created",
        /// Spend was tracked (spend report).
        SpendTracked = "spend_tracked",
    }
}

open_enum! {
    /// What the alert is about (`event_group`).
    pub enum LiteLlmEntity {
        /// An internal user.
        InternalUser = "internal_user",
        /// A user (older proxies).
        User = "user",
        /// A virtual key.
        Key = "key",
        /// A team.
        Team = "team",
        /// The whole proxy.
        Proxy = "proxy",
        /// An end customer.
        Customer = "customer",
    }
}

/// A LiteLLM proxy alert. Amounts are in USD, as the proxy tracks them.
///
/// # Examples
///
/// ```
/// use hookproof_events::litellm::{BudgetAlert, LiteLlmEvent};
///
/// let body = br#"{"spend":101.5,"max_budget":100.0,"event":"budget_crossed",
///   "event_group":"team","event_message":"Team Budget: Budget Crossed","team_id":"team-ml"}"#;
/// let a = BudgetAlert::from_slice(body)?;
/// assert_eq!(a.event, LiteLlmEvent::BudgetCrossed);
/// assert_eq!(a.max_budget, Some(100.0));
/// # Ok::<(), hookproof_events::DecodeError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BudgetAlert {
    /// What happened.
    pub event: LiteLlmEvent,
    /// Which kind of entity it is about.
    pub event_group: LiteLlmEntity,
    /// Human-readable description, e.g. "Team Budget: Budget Crossed".
    pub event_message: String,
    /// Spend so far, USD.
    pub spend: f64,
    /// Hard budget, USD.
    #[serde(default)]
    pub max_budget: Option<f64>,
    /// Soft budget, USD.
    #[serde(default)]
    pub soft_budget: Option<f64>,
    /// Hash of the virtual key (never the key itself).
    #[serde(default)]
    pub token: Option<String>,
    /// End customer id.
    #[serde(default)]
    pub customer_id: Option<String>,
    /// User id.
    #[serde(default)]
    pub user_id: Option<String>,
    /// Team id.
    #[serde(default)]
    pub team_id: Option<String>,
    /// Team alias.
    #[serde(default)]
    pub team_alias: Option<String>,
    /// User e-mail.
    #[serde(default)]
    pub user_email: Option<String>,
    /// Key alias.
    #[serde(default)]
    pub key_alias: Option<String>,
    /// Date the budget is projected to be exceeded (`projected_limit_exceeded`).
    #[serde(default)]
    pub projected_exceeded_date: Option<String>,
    /// Projected spend for the period, USD.
    #[serde(default)]
    pub projected_spend: Option<f64>,
}

impl BudgetAlert {
    /// Decodes a LiteLLM alert body.
    ///
    /// # Errors
    ///
    /// [`DecodeError`] naming the field when one is missing or invalid.
    pub fn from_slice(bytes: &[u8]) -> Result<BudgetAlert, DecodeError> {
        decode_at(crate::raw::utf8(bytes)?, "")
    }

    /// Percent of `max_budget` spent, when there is a budget.
    pub fn percent_of_budget(&self) -> Option<f64> {
        self.max_budget
            .filter(|b| *b > 0.0)
            .map(|b| self.spend / b * 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spend_must_be_a_number() {
        let err = BudgetAlert::from_slice(
            br#"{"event":"budget_crossed","event_group":"key","event_message":"m","spend":"a lot"}"#,
        )
        .unwrap_err();
        assert_eq!(err.path(), Some("spend"));
    }

    #[test]
    fn percent_of_budget() {
        let a = BudgetAlert::from_slice(
            br#"{"event":"threshold_crossed","event_group":"key","event_message":"m","spend":85.0,"max_budget":100.0}"#,
        )
        .unwrap();
        assert_eq!(a.percent_of_budget(), Some(85.0));
        assert_eq!(a.token, None);
    }
}
