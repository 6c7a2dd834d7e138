// The product version, written into model files and run manifests.
public enum TenureVersion {
    public static let current = "0.1.0"
}
