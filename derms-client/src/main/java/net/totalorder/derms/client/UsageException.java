package net.totalorder.derms.client;

/** Command-line or interactive input the client cannot turn into a request; the message says what is wrong. */
final class UsageException extends Exception {

    UsageException(String message) {
        super(message);
    }
}
