// The library services link: everything needed to load a model once and score users. Of the shared primitives
// only what a service sees in Scoring's API is re-exported (errors' categories, time spans, the UTC day, the
// version), not the parameter tables, writers and parallel helpers the tools use.
@_exported import Scoring
@_exported import ModelFormat
@_exported import Features
@_exported import EventLog
@_exported import protocol TenureCore.CategorizedError
@_exported import enum TenureCore.ErrorCategory
@_exported import struct TenureCore.FileReadError
@_exported import struct TenureCore.TimeSpan
@_exported import struct TenureCore.TimeSpanError
@_exported import enum TenureCore.TenureVersion
@_exported import var TenureCore.millisPerDay
@_exported import func TenureCore.utcDay
