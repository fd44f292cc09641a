package net.totalorder.sequencer.core;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Decodes bytes that must be UTF-8 (the wire, the log files, snapshots, invocation payloads): malformed input is
 * refused with a {@link CharacterCodingException}, never replaced. Bytes that are all ASCII — request ids, member
 * names, most payloads — are decoded without a {@link java.nio.charset.CharsetDecoder}: they are read on every
 * message, and a decoder per string was a fifth of the bytes a busy member allocated (JFR, 64 benchmark clients).
 *
 * <p>Stateless; thread-safe.
 */
public final class StrictUtf8 {

    private StrictUtf8() {
    }

    /** The string that {@code length} bytes of {@code in} from its position encode; the position moves past them. */
    public static String decode(ByteBuffer in, int length) throws CharacterCodingException {
        if (length < 0 || length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        String s;
        if (in.hasArray()) {
            s = decode(in.array(), in.arrayOffset() + in.position(), length);
        } else {
            byte[] copy = new byte[length];
            in.duplicate().get(copy);
            s = decode(copy, 0, length);
        }
        in.position(in.position() + length);
        return s;
    }

    /** The string that {@code length} bytes of {@code bytes} from {@code offset} encode. */
    public static String decode(byte[] bytes, int offset, int length) throws CharacterCodingException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] < 0) {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes, offset, length)).toString();
            }
        }
        return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);   // ASCII: the same in both
    }
}
