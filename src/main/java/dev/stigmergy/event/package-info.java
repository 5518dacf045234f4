/**
 * The append-only event log: one row per state change, written by every capability in the transaction of
 * the change it records ({@link dev.stigmergy.event.EventLog#append}), paged through by
 * {@code GET /events}. Uses {@code api} and {@code agent} (for the caller); every other package appends here.
 */
package dev.stigmergy.event;
