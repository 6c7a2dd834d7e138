// A minimal PNG reader for the browser test (8-bit grey/RGB/RGBA, non-interlaced; what Chromium writes):
// chunks → zlib inflate (the system zlib through the CTenureZlib shim) → scanline unfiltering.
import CTenureZlib
import Foundation

struct PNGImage {
    let width: Int
    let height: Int
    let channels: Int
    /// Row-major pixels, `channels` bytes each.
    let pixels: [UInt8]

    enum Failure: Error, CustomStringConvertible {
        case notPNG, unsupported(String), inflate(Int32)
        var description: String {
            switch self {
            case .notPNG: return "not a PNG file"
            case .unsupported(let s): return "unsupported PNG: \(s)"
            case .inflate(let c): return "zlib uncompress failed (\(c))"
            }
        }
    }

    init(_ data: [UInt8]) throws {
        guard data.count > 8, data.prefix(8).elementsEqual([137, 80, 78, 71, 13, 10, 26, 10]) else { throw Failure.notPNG }
        func be32(_ i: Int) -> Int { Int(data[i]) << 24 | Int(data[i + 1]) << 16 | Int(data[i + 2]) << 8 | Int(data[i + 3]) }
        var i = 8, w = 0, h = 0, depth = 0, colour = 0, interlace = 0
        var idat: [UInt8] = []
        while i + 8 <= data.count {
            let length = be32(i), type = String(decoding: data[(i + 4)..<(i + 8)], as: UTF8.self)
            let body = (i + 8)..<(i + 8 + length)
            guard body.upperBound <= data.count else { throw Failure.notPNG }
            if type == "IHDR" { w = be32(body.lowerBound); h = be32(body.lowerBound + 4); depth = Int(data[body.lowerBound + 8]); colour = Int(data[body.lowerBound + 9]); interlace = Int(data[body.lowerBound + 12]) }
            if type == "IDAT" { idat += data[body] }
            if type == "IEND" { break }
            i = body.upperBound + 4
        }
        let channelsByType = [0: 1, 2: 3, 4: 2, 6: 4]
        guard depth == 8, interlace == 0, let ch = channelsByType[colour] else {
            throw Failure.unsupported("bit depth \(depth), colour type \(colour), interlace \(interlace)")
        }
        let stride = w * ch
        var raw = [UInt8](repeating: 0, count: h * (stride + 1))
        var rawLength = uLongf(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { r in
            idat.withUnsafeBufferPointer { s in uncompress(r.baseAddress, &rawLength, s.baseAddress, uLong(s.count)) }
        }
        guard status == Z_OK, Int(rawLength) == raw.count else { throw Failure.inflate(status) }
        var out = [UInt8](repeating: 0, count: h * stride)
        for y in 0..<h {
            let filter = raw[y * (stride + 1)]
            for x in 0..<stride {
                let v = Int(raw[y * (stride + 1) + 1 + x])
                let a = x >= ch ? Int(out[y * stride + x - ch]) : 0
                let b = y > 0 ? Int(out[(y - 1) * stride + x]) : 0
                let c = x >= ch && y > 0 ? Int(out[(y - 1) * stride + x - ch]) : 0
                let predicted: Int
                switch filter {
                case 0: predicted = 0
                case 1: predicted = a
                case 2: predicted = b
                case 3: predicted = (a + b) / 2
                case 4:
                    let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predicted = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                default: throw Failure.unsupported("filter \(filter)")
                }
                out[y * stride + x] = UInt8((v + predicted) & 0xFF)
            }
        }
        width = w; height = h; channels = ch; pixels = out
    }

    /// Share of pixels whose colour differs from the top-left pixel (the page background), and the number
    /// of distinct colours (capped at 10,000).
    func inkStatistics() -> (share: Double, colours: Int) {
        let background = Array(pixels[0..<min(3, channels)])
        var ink = 0
        var colours = Set<UInt32>()
        for p in 0..<(width * height) {
            let o = p * channels
            var differs = false
            var key: UInt32 = 0
            for k in 0..<min(3, channels) {
                if pixels[o + k] != background[k] { differs = true }
                key = key << 8 | UInt32(pixels[o + k])
            }
            if differs { ink += 1 }
            if colours.count < 10_000 { colours.insert(key) }
        }
        return (Double(ink) / Double(max(1, width * height)), colours.count)
    }
}
