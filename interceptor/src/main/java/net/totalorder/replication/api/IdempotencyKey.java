package net.totalorder.replication.api;

import jakarta.enterprise.context.RequestScoped;

/**
 * The caller's idempotency key for the current request (e.g. the HTTP {@code Idempotency-Key} header): replicated
 * calls made while handling the request are ordered under request ids derived from it, so a retry of the same
 * request, on any server, returns the first replies and changes nothing again. Without a key, a fresh id is used.
 *
 * <p>A key is 1 to {@value #MAX_LENGTH} printable ASCII characters. Request-scoped; one request, one thread.
 */
@RequestScoped
public class IdempotencyKey {

    public static final int MAX_LENGTH = 255;

    private String value;

    /**
     * Sets the key for this request.
     *
     * @throws IllegalArgumentException when the key is empty, longer than {@value #MAX_LENGTH} characters or has
     *                                  a character outside printable ASCII; nothing is set then
     */
    public void set(String key) {
        value = validate(key);
    }

    /** The key, or null when the caller gave none. */
    public String value() {
        return value;
    }

    /** Checks a key; returns it. */
    public static String validate(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("Idempotency-Key must not be empty");
        }
        if (key.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("Idempotency-Key is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("Idempotency-Key has a character outside printable ASCII at "
                        + "position " + i);
            }
        }
        return key;
    }
}
