/**
 * Settings of the iCalendar feed: the domain of event UIDs, the reminder
 * before each due date and how often subscribers should refresh.
 */
import { Config, Duration } from "effect"

const hostnamePattern = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/

/** The feed's settings, each with a default that works on a laptop. */
export const CalendarFeedConfig = Config.all({
  uidDomain: Config.string("CALENDAR_UID_DOMAIN").pipe(
    Config.validate({
      message: "CALENDAR_UID_DOMAIN must be a lower-case domain name such as calendar.example.com",
      validation: (domain) => hostnamePattern.test(domain)
    }),
    Config.withDescription("Domain after the @ of every event UID. Changing it makes subscribers see every event twice"),
    Config.withDefault("calendar.example.com")
  ),
  alarmDaysBefore: Config.integer("CALENDAR_ALARM_DAYS_BEFORE").pipe(
    Config.validate({
      message: "CALENDAR_ALARM_DAYS_BEFORE must be a whole number of days from 0 to 366",
      validation: (days) => days >= 0 && days <= 366
    }),
    Config.withDescription("Days before the due date an open entry's reminder fires, or 0 for no reminder"),
    Config.withDefault(30)
  ),
  refreshInterval: Config.duration("CALENDAR_FEED_REFRESH").pipe(
    Config.withDescription("How often subscribed calendar applications are asked to reload the feed, such as \"12 hours\""),
    Config.withDefault(Duration.hours(12))
  )
})

/** The values of {@link CalendarFeedConfig}. */
export type CalendarFeedSettings = Config.Config.Success<typeof CalendarFeedConfig>
