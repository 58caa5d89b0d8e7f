import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

/** The service center's time zone; the server's date filters use its calendar too. */
export const TIME_ZONE = 'Asia/Shanghai';

export const DATE_FORMAT = 'YYYY-MM-DD';
export const DATE_TIME_FORMAT = 'YYYY-MM-DD HH:mm';

/** 2014-09-30 */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  const d = dayjs(value);
  return d.isValid() ? d.tz(TIME_ZONE).format(DATE_FORMAT) : value;
}

/** 2014-09-30 14:05 */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const d = dayjs(value);
  return d.isValid() ? d.tz(TIME_ZONE).format(DATE_TIME_FORMAT) : value;
}

/** 2014-09-30 14:05:09, for the audit trail where seconds matter. */
export function formatDateTimeSeconds(value: string | null | undefined): string {
  if (!value) return '';
  const d = dayjs(value);
  return d.isValid() ? d.tz(TIME_ZONE).format(`${DATE_TIME_FORMAT}:ss`) : value;
}

/** Today's date in the service center's calendar, `2014-09-30` (what the server calls today). */
export function todayDate(): string {
  return dayjs().tz(TIME_ZONE).format(DATE_FORMAT);
}
