// A minimal scoring service built on the Tenure library (placeholder).
print("placeholder")
