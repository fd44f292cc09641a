package net.totalorder.derms.domain;

/** The business outcome of an operation. Immutable; safe to share between threads. */
public enum Status {
    SUCCESS, FAILURE, WAITLISTED
}
