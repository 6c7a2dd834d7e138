// The library services link: everything needed to load a model once and score users.
@_exported import Scoring
@_exported import ModelFormat
@_exported import Features
@_exported import EventLog
@_exported import TenureCore
