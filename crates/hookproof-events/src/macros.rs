//! Internal macros: open string enums and event tables.

/// An open set of string values: known values get a variant, anything else is
/// kept verbatim in `Other(String)` so a new value from the sender never fails
/// decoding and re-encodes unchanged.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know, kept verbatim.
            Other(String),
        }

        impl $name {
            /// The wire value, e.g. as sent in the JSON payload.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Other(s) => s,
                }
            }

            /// Every value this version knows, in declaration order.
            pub const KNOWN: &'static [&'static str] = &[$($wire),+];
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $wire => Self::$variant, )+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                // A visitor, so known values cost no allocation.
                struct V;
                impl ::serde::de::Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: ::serde::de::Error>(self, s: &str) -> Result<$name, E> {
                        Ok($name::from(s))
                    }
                    fn visit_string<E: ::serde::de::Error>(self, s: String) -> Result<$name, E> {
                        Ok(match $name::from(s.as_str()) {
                            $name::Other(_) => $name::Other(s),
                            known => known,
                        })
                    }
                }
                d.deserialize_str(V)
            }
        }

        #[cfg(feature = "schema")]
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({
                    "type": "string",
                    "description": concat!("Open set; known values: ", $($wire, " "),+),
                    "examples": [$($wire),+]
                })
            }
        }
    };
}

/// Generates an event enum from a table `"type" => Variant(Data)`, with an
/// `Unknown { event_type, raw }` fallback, `event_type()`, typed decoding of
/// the `data` object by type, and serialization of the data alone.
macro_rules! event_table {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $wire:literal => $variant:ident($data:ty), )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant($data), )+
            /// A type this version does not know. Not an error: senders add
            /// types, and a receiver should acknowledge what it does not handle.
            Unknown {
                /// The `type` string as sent.
                event_type: String,
                /// The `data` object as sent.
                raw: ::serde_json::Value,
            },
        }

        impl crate::fast::DataTable for $name {
            fn visit_data<'de, A: ::serde::de::MapAccess<'de>>(
                event_type: &str,
                map: A,
            ) -> Result<Self, A::Error> {
                let de = ::serde::de::value::MapAccessDeserializer::new(map);
                match event_type {
                    $( $wire => <$data as ::serde::Deserialize>::deserialize(de).map(Self::$variant), )+
                    other => Ok(Self::Unknown {
                        event_type: other.to_owned(),
                        raw: <::serde_json::Value as ::serde::Deserialize>::deserialize(de)?,
                    }),
                }
            }
        }

        impl $name {
            /// Every event type this version decodes into a typed variant.
            pub const KNOWN_TYPES: &'static [&'static str] = &[$($wire),+];

            /// The event type string, e.g. `"guardrail.blocked"`.
            pub fn event_type(&self) -> &str {
                match self {
                    $( Self::$variant(_) => $wire, )+
                    Self::Unknown { event_type, .. } => event_type,
                }
            }

            /// Decodes the `data` JSON text of an event of type `event_type`.
            /// Unknown types become `Unknown`; errors carry the path below `data`.
            pub(crate) fn from_data(
                event_type: &str,
                data: &str,
            ) -> Result<Self, crate::error::DecodeError> {
                // serde-derived structs also accept arrays; data must be an object.
                let is_object = data.trim_start().starts_with('{');
                match event_type {
                    $( $wire if !is_object => Err(crate::error::DecodeError::InvalidField {
                        path: "data".to_owned(),
                        message: "expected a JSON object".to_owned(),
                    }), )+
                    $( $wire => crate::error::decode_at::<$data>(data, "data").map(Self::$variant), )+
                    other => Ok(Self::Unknown {
                        event_type: other.to_owned(),
                        raw: crate::error::decode_at::<::serde_json::Value>(data, "data")?,
                    }),
                }
            }

            /// Serializes the data object alone.
            pub(crate) fn serialize_data<S: ::serde::Serializer>(
                &self,
                s: S,
            ) -> Result<S::Ok, S::Error> {
                match self {
                    $( Self::$variant(d) => ::serde::Serialize::serialize(d, s), )+
                    Self::Unknown { raw, .. } => ::serde::Serialize::serialize(raw, s),
                }
            }

            /// `(type, JSON Schema of its data)` for every known type.
            #[cfg(feature = "schema")]
            pub(crate) fn data_schemas() -> Vec<(&'static str, ::schemars::Schema)> {
                vec![$( ($wire, ::schemars::schema_for!($data)), )+]
            }
        }

    };
}
