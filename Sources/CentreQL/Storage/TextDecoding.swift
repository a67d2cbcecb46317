import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The encodings CentreQL reads text in. UTF-8 is the default; GB18030 covers GBK and GB2312, the
/// encodings Chinese spreadsheets often save CSV in.
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case gb18030

    /// Accepts the usual spellings: utf8, UTF-8, gbk, gb2312, GB18030 …
    public init?(name: String) {
        switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "utf-8", "utf8": self = .utf8
        case "gb18030", "gbk", "gb2312", "cp936": self = .gb18030
        default: return nil
        }
    }
}

/// Why bytes are not text in the expected encoding: where the first bad byte is, and which
/// encoding the bytes look like instead (so the message can say what to do).
public struct DecodingProblem: Error, Sendable, CustomStringConvertible {
    public let encoding: TextEncoding
    public let line: Int
    public let column: Int
    public let byte: UInt8
    public let likelyEncoding: String?

    public var description: String {
        let hex = String(byte, radix: 16, uppercase: true)
        var text = "the text is not \(encoding == .utf8 ? "UTF-8" : "GB18030"): byte 0x\(hex.count == 1 ? "0" + hex : hex) at line \(line), column \(column) cannot start or continue a character"
        if let likelyEncoding {
            text += "; it looks like \(likelyEncoding)"
            switch likelyEncoding {
            case _ where likelyEncoding.hasPrefix("GB18030"):
                text += " (as Chinese spreadsheets often save CSV): give --encoding gb18030, or save it as UTF-8"
            case "UTF-8": text += ": leave out --encoding (every file of a folder must be in the same encoding)"
            default: text += ": save it as UTF-8"
            }
        } else if encoding == .utf8 {
            text += "; save it as UTF-8"
        }
        return text
    }
}

public enum TextDecoding {
    /// Decodes bytes, dropping a UTF-8 byte-order mark; a problem names the first bad byte's line and column.
    public static func decode(_ data: Data, as encoding: TextEncoding) throws(DecodingProblem) -> String {
        let bytes = [UInt8](data)
        switch encoding {
        case .utf8:
            if let offset = firstInvalidUTF8(bytes) ?? wideEncodingNUL(bytes) {
                throw problem(at: offset, in: bytes, encoding: .utf8, likely: likelyEncoding(of: bytes))
            }
            var text = String(decoding: bytes, as: UTF8.self)
            if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
            // Old Mac line ends (CR alone, no LF anywhere): lines, not one long line.
            if !text.utf8.contains(0x0A), text.utf8.contains(0x0D) { text = text.replacingOccurrences(of: "\r", with: "\n") }
            return text
        case .gb18030:
            switch gb18030(bytes) {
            case .success(var text):
                if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
                return text
            case .failure(let offset): throw problem(at: offset, in: bytes, encoding: .gb18030, likely: firstInvalidUTF8(bytes) == nil ? "UTF-8" : nil)
            }
        }
    }

    /// The text's UTF-8 bytes, checked (UTF-8) or converted (GB18030); a UTF-8 byte-order mark is kept
    /// for the reader to skip. Checking is the fast path: no String is built for a valid file.
    public static func utf8Bytes(_ data: Data, as encoding: TextEncoding) throws(DecodingProblem) -> [UInt8] {
        let bytes = [UInt8](data)
        if encoding == .utf8, String(validating: bytes, as: UTF8.self) != nil, wideEncodingNUL(bytes) == nil { return bytes }
        return Array(try decode(data, as: encoding).utf8)
    }

    /// The offset of the first byte that is not part of a valid UTF-8 sequence, or nil if all are.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// Where text that is valid UTF-8 is really UTF-16 or UTF-32 without a byte-order mark: its
    /// ASCII characters come with NUL bytes beside them (a quarter or more of the first 4 KB are NUL).
    /// The first NUL's offset, or nil.
    static func wideEncodingNUL(_ bytes: [UInt8]) -> Int? {
        guard let first = bytes.firstIndex(of: 0) else { return nil }
        let sample = bytes.prefix(4096)
        let even = stride(from: 0, to: sample.count, by: 2).filter { sample[$0] == 0 }.count
        let odd = stride(from: 1, to: sample.count, by: 2).filter { sample[$0] == 0 }.count
        return (even + odd) * 4 >= sample.count ? first : nil
    }

    /// A guess at what non-UTF-8 bytes are: UTF-32 or UTF-16 by a byte-order mark or by the NUL
    /// bytes beside ASCII characters, or GB18030 when they decode as it into Chinese text.
    static func likelyEncoding(of bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return "UTF-32 (little-endian)" }
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return "UTF-32 (big-endian)" }
        if bytes.starts(with: [0xFF, 0xFE]) { return "UTF-16 (little-endian)" }
        if bytes.starts(with: [0xFE, 0xFF]) { return "UTF-16 (big-endian)" }
        if wideEncodingNUL(bytes) != nil {
            let sample = Array(bytes.prefix(4096))
            let zeros = sample.filter { $0 == 0 }.count
            let width = zeros * 4 >= sample.count * 3 - 8 ? "UTF-32" : "UTF-16"
            let littleEndian = sample.count > 1 && sample[0] != 0 && sample[1] == 0
            return "\(width) (\(littleEndian ? "little" : "big")-endian) without a byte-order mark"
        }
        if case .success(let text) = gb18030(bytes),
           text.unicodeScalars.contains(where: { (0x4E00...0x9FFF).contains($0.value) }) {
            return "GB18030 (GBK)"
        }
        return nil
    }

    private static func problem(at offset: Int, in bytes: [UInt8], encoding: TextEncoding, likely: String?) -> DecodingProblem {
        let lineStart = bytes[..<offset].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let line = bytes[..<offset].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        // The column counts characters, so decode the line's prefix (lossily: it may itself be in another encoding).
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).unicodeScalars.count + 1
        return DecodingProblem(encoding: encoding, line: line, column: column, byte: bytes[offset], likelyEncoding: likely)
    }

    private enum Outcome { case success(String), failure(offset: Int) }

    /// GB18030 → UTF-8 through the C library's iconv.
    private static func gb18030(_ bytes: [UInt8]) -> Outcome {
        let converter = iconv_open("UTF-8", "GB18030")
        guard converter != iconv_t(bitPattern: -1) else { return .failure(offset: 0) }
        defer { iconv_close(converter) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)  // ≤ 4 bytes out per 2 in (and 4 per 4)
        let outcome: Outcome = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer = UnsafeMutableRawPointer(inBuffer.baseAddress).map { $0.assumingMemoryBound(to: CChar.self) }
                var outPointer = UnsafeMutableRawPointer(outBuffer.baseAddress).map { $0.assumingMemoryBound(to: CChar.self) }
                var inLeft = inBuffer.count, outLeft = outBuffer.count
                if iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) == -1 || inLeft > 0 {
                    return .failure(offset: inBuffer.count - inLeft)
                }
                return .success(String(decoding: outBuffer[..<(outBuffer.count - outLeft)], as: UTF8.self))
            }
        }
        return outcome
    }
}
