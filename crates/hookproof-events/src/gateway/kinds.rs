//! Open string enums used by the gateway data structs. Each keeps values it
//! does not know in `Other(String)`.

open_enum! {
    /// Why generation stopped (OpenAI-style values).
    pub enum FinishReason {
        /// Natural end or a stop sequence.
        Stop = "stop",
        /// `max_tokens` or the context window was reached.
        Length = "length",
        /// The model called one or more tools.
        ToolCalls = "tool_calls",
        /// The provider's content filter cut the output.
        ContentFilter = "content_filter",
    }
}

open_enum! {
    /// Category of a failed request (also the reason of a model fallback).
    pub enum ErrorKind {
        /// The provider or the gateway rate-limited the request.
        RateLimit = "rate_limit",
        /// The provider did not answer in time.
        Timeout = "timeout",
        /// The provider returned a 5xx or an unusable answer.
        ProviderError = "provider_error",
        /// The request was rejected as malformed (4xx).
        InvalidRequest = "invalid_request",
        /// The provider's content filter refused the request.
        ContentFilter = "content_filter",
        /// The prompt exceeded the model's context window.
        ContextLengthExceeded = "context_length_exceeded",
        /// Bad or missing provider credentials.
        Authentication = "authentication",
        /// The budget for the key, project or org is exhausted.
        BudgetExceeded = "budget_exceeded",
    }
}

open_enum! {
    /// Period a budget or limit applies to.
    pub enum LimitPeriod {
        /// Resets every day (UTC).
        Daily = "daily",
        /// Resets every week.
        Weekly = "weekly",
        /// Resets every calendar month.
        Monthly = "monthly",
        /// Never resets.
        Total = "total",
    }
}

open_enum! {
    /// When a guardrail ran relative to the model call.
    pub enum GuardrailStage {
        /// On the input, before the model call.
        Pre = "pre",
        /// On the output, after the model call.
        Post = "post",
        /// On the streamed output, while it is produced.
        During = "during",
    }
}

open_enum! {
    /// What a guardrail detected.
    pub enum GuardrailCategory {
        /// Personal data (emails, phone numbers, ...).
        Pii = "pii",
        /// Jailbreak attempt.
        Jailbreak = "jailbreak",
        /// Prompt injection (e.g. in retrieved content).
        PromptInjection = "prompt_injection",
        /// Toxic or abusive content.
        Toxicity = "toxicity",
        /// Output does not match the required schema.
        Schema = "schema",
        /// Off-topic or denied topic.
        Topic = "topic",
        /// Credentials or secrets in the text.
        Secrets = "secrets",
    }
}

open_enum! {
    /// What the gateway did when a guardrail fired.
    pub enum GuardrailAction {
        /// The request or response was refused.
        Blocked = "blocked",
        /// The offending parts were masked and the call went on.
        Redacted = "redacted",
        /// Only logged / flagged.
        Flagged = "flagged",
    }
}

open_enum! {
    /// Why an agent run failed.
    pub enum AgentErrorKind {
        /// The run hit its step limit.
        MaxStepsExceeded = "max_steps_exceeded",
        /// The same actions repeated without progress.
        LoopDetected = "loop_detected",
        /// A tool call failed and the agent could not recover.
        ToolError = "tool_error",
        /// A model call failed.
        ModelError = "model_error",
        /// The run exceeded its time budget.
        Timeout = "timeout",
        /// The run's cost budget was exhausted.
        BudgetExceeded = "budget_exceeded",
        /// Cancelled by a user or operator.
        Cancelled = "cancelled",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_are_kept_and_re_encoded() {
        let k: ErrorKind = serde_json::from_str(r#""quota_exceeded""#).unwrap();
        assert_eq!(k, ErrorKind::Other("quota_exceeded".into()));
        assert_eq!(serde_json::to_string(&k).unwrap(), r#""quota_exceeded""#);
        let k: ErrorKind = serde_json::from_str(r#""rate_limit""#).unwrap();
        assert_eq!(k, ErrorKind::RateLimit);
        assert_eq!(k.to_string(), "rate_limit");
    }

    #[test]
    fn escaped_strings_decode() {
        let k: GuardrailStage = serde_json::from_str(r#""p\u0072e""#).unwrap();
        assert_eq!(k, GuardrailStage::Pre);
    }
}
