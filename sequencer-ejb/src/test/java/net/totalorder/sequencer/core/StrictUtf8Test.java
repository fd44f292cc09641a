package net.totalorder.sequencer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class StrictUtf8Test {

    @Test
    void asciiAndMultiByteTextDecodeToWhatWasEncoded() throws Exception {
        for (String s : new String[] {"", "req-0f3a9c", "Montréal", "救护车", "ambulance \uD83D\uDE91"}) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            assertEquals(s, StrictUtf8.decode(b, 0, b.length));
        }
    }

    @Test
    void malformedBytesAreRefusedNotReplaced() {
        byte[][] malformed = {
            {(byte) 0xC3},                          // a lead byte without its continuation
            {'a', (byte) 0xFF, 'b'},                // never valid in UTF-8
            {(byte) 0xC0, (byte) 0xAF},             // overlong '/'
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80} // a lone surrogate
        };
        for (byte[] b : malformed) {
            assertThrows(CharacterCodingException.class, () -> StrictUtf8.decode(b, 0, b.length));
        }
    }

    @Test
    void aBufferIsReadFromItsPositionAndLeftAfterTheString() throws Exception {
        ByteBuffer in = ByteBuffer.wrap("xxabcé!".getBytes(StandardCharsets.UTF_8), 1, 7).slice();
        in.get();                                   // position 1 of the slice: "abcé!" follows
        assertEquals("abcé", StrictUtf8.decode(in, 5));
        assertEquals('!', in.get());
    }

    @Test
    void aLengthBeyondTheBufferIsRefusedAndMovesNothing() {
        ByteBuffer in = ByteBuffer.wrap("abcdef".getBytes(StandardCharsets.US_ASCII), 0, 3);
        assertThrows(BufferUnderflowException.class, () -> StrictUtf8.decode(in, 4));
        assertThrows(BufferUnderflowException.class, () -> StrictUtf8.decode(in, -1));
        assertEquals(0, in.position());
        ByteBuffer direct = ByteBuffer.allocateDirect(3).put(new byte[] {'a', 'b', 'c'}).flip();
        assertThrows(BufferUnderflowException.class, () -> StrictUtf8.decode(direct, 4));
    }

    @Test
    void aDirectBufferDecodesLikeAHeapOne() throws Exception {
        ByteBuffer direct = ByteBuffer.allocateDirect(16).put("Montréal".getBytes(StandardCharsets.UTF_8)).flip();
        assertEquals("Mont", StrictUtf8.decode(direct, 4));
        assertEquals("réal", StrictUtf8.decode(direct, direct.remaining()));
        assertEquals(0, direct.remaining());
    }
}
