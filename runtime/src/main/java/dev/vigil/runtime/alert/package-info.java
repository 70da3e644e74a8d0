/** Alerts: from assessments to one alert per machine and fault, with a lifecycle engineers drive. */
package dev.vigil.runtime.alert;
