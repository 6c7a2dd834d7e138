// Page decompression: SNAPPY (raw snappy), GZIP (a gzip stream), ZSTD (a frame) and LZ4_RAW (a raw block)
// into exactly the page header's uncompressed size; anything else, or a size that does not match, is an error.
import CTenureCompression
import CTenureZlib

enum PageCodec {
    /// Decompressed pages larger than this are refused (a damaged header must not allocate gigabytes).
    static let maxPageBytes = 1 << 30

    static func decompress(_ codec: Codec, _ input: UnsafeRawBufferPointer, size: Int) throws -> [UInt8] {
        guard size >= 0 && size <= maxPageBytes else { throw ParquetError.corrupt("a page of \(size) bytes uncompressed") }
        if codec == .uncompressed {
            guard input.count == size else { throw ParquetError.corrupt("an uncompressed page of \(input.count) bytes where the header says \(size)") }
            return Array(input)
        }
        // Not zero-filled first: the codec writes every byte, and a short result is refused below.
        var produced = 0
        let out = try [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            let o = UnsafeMutableRawBufferPointer(buffer)
            produced = try decompress(codec, input, into: o, size: size)
            initialized = produced == size ? size : 0
        }
        guard produced == size else { throw ParquetError.corrupt("a \(codec) page of \(produced) bytes where the header says \(size)") }
        return out
    }

    /// Decompresses into `o` (`size` bytes); returns the bytes produced.
    private static func decompress(_ codec: Codec, _ input: UnsafeRawBufferPointer, into o: UnsafeMutableRawBufferPointer, size: Int) throws -> Int {
        let src = input.baseAddress, dst = o.baseAddress
        switch codec {
        case .snappy:
            var length = 0
            guard snappy_uncompressed_length(src?.assumingMemoryBound(to: CChar.self), input.count, &length) == SNAPPY_OK, length == size else {
                throw ParquetError.corrupt("a SNAPPY page whose stated size is not the header's \(size) bytes")
            }
            var n = size
            guard snappy_uncompress(src?.assumingMemoryBound(to: CChar.self), input.count, dst?.assumingMemoryBound(to: CChar.self), &n) == SNAPPY_OK else {
                throw ParquetError.corrupt("a SNAPPY page that does not decompress")
            }
            return n
        case .zstd:
            let n = ZSTD_decompress(dst, size, src, input.count)
            guard ZSTD_isError(n) == 0 else {
                throw ParquetError.corrupt("a ZSTD page that does not decompress (\(String(cString: ZSTD_getErrorName(n))))")
            }
            return n
        case .lz4Raw:
            guard input.count <= Int(Int32.max), size <= Int(Int32.max) else { throw ParquetError.corrupt("an LZ4_RAW page too large") }
            let n = LZ4_decompress_safe(src?.assumingMemoryBound(to: CChar.self), dst?.assumingMemoryBound(to: CChar.self), Int32(input.count), Int32(size))
            guard n >= 0 else { throw ParquetError.corrupt("an LZ4_RAW page that does not decompress") }
            return Int(n)
        case .gzip:
            return try inflate(input, into: o)
        case .uncompressed: return 0
        case .lzo, .brotli, .lz4:
            throw ParquetError.unsupported("the \(codec) codec (write the file with SNAPPY, GZIP, ZSTD or LZ4_RAW)")
        }
    }

    /// A gzip (or zlib) stream, which must fill `out` exactly and end there.
    static func inflate(_ input: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) throws -> Int {
        var z = z_stream()
        // 15 + 32: a 32 KiB window, gzip or zlib header detected.
        guard inflateInit2_(&z, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ParquetError.corrupt("zlib could not start")
        }
        defer { inflateEnd(&z) }
        z.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        z.avail_in = uInt(input.count)
        z.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
        z.avail_out = uInt(out.count)
        let status = CTenureZlib.inflate(&z, Z_FINISH)
        guard status == Z_STREAM_END else { throw ParquetError.corrupt("a GZIP page that does not decompress (zlib status \(status))") }
        return out.count - Int(z.avail_out)
    }
}
