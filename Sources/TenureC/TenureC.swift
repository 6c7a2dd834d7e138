// The C ABI of libtenure (placeholder until the C-library work lands).
