/** Automatic fetch on weekday schedules: up to MAX_FETCH_SCHEDULES rows of weekdays and a time. */
import { Plus, Trash } from "@medusajs/icons"
import { Badge, Button, Hint, IconButton, Input, clx } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { MAX_FETCH_SCHEDULES } from "../../lib/types"
import { Field } from "../layout"
import type { SectionProps } from "./use-shop-form"

const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6]

/** Shaded with an "inactive" badge while the mode is not "schedule". */
export const ScheduleSettings = ({ form, set, errors }: SectionProps) => {
  const { t } = useTranslation("line-gift")
  const schedules = form.fetch_schedules
  const setSchedule = (
    i: number,
    next: { weekdays?: number[]; time?: string }
  ) =>
    set(
      "fetch_schedules",
      schedules.map((s, j) => (j === i ? { ...s, ...next } : s))
    )
  const full = schedules.length >= MAX_FETCH_SCHEDULES
  const mode = form.auto_fetch_mode

  return (
    <div
      className={clx(mode !== "schedule" && "bg-ui-bg-subtle")}
      data-testid="schedule-settings"
    >
      <Field
        label={
          <span className="flex items-center gap-x-2">
            {t("autoFetch.schedules")}
            {mode !== "schedule" ? (
              <Badge size="2xsmall">{t("autoFetch.inactive")}</Badge>
            ) : null}
          </span>
        }
        hint={t("autoFetch.schedulesHint", { max: MAX_FETCH_SCHEDULES })}
        error={errors.fetch_schedules}
        testId="fetch_schedules"
      >
        <div className="flex flex-col gap-y-2">
          {schedules.map((s, i) => (
            <div
              key={i}
              className="bg-ui-bg-base shadow-borders-base flex flex-wrap items-center gap-2 rounded-md px-3 py-2"
              data-testid="schedule-row"
            >
              <div
                className="flex flex-wrap gap-1"
                role="group"
                aria-label={t("autoFetch.weekdaysLabel")}
              >
                {WEEKDAYS.map((d) => {
                  const on = s.weekdays.includes(d)
                  return (
                    <button
                      key={d}
                      type="button"
                      aria-pressed={on}
                      data-weekday={d}
                      onClick={() =>
                        setSchedule(i, {
                          weekdays: on
                            ? s.weekdays.filter((x) => x !== d)
                            : [...s.weekdays, d].sort(),
                        })
                      }
                      className={clx(
                        "txt-compact-small-plus h-7 min-w-8 rounded-md px-2 transition-fg",
                        on
                          ? "bg-ui-button-inverted text-ui-fg-on-inverted"
                          : "bg-ui-bg-component text-ui-fg-subtle shadow-borders-base hover:bg-ui-bg-component-hover"
                      )}
                    >
                      {t(`weekdays.${d}`)}
                    </button>
                  )
                })}
              </div>
              {/* Text "HH:MM" (24 h, Japan time), not type="time": that one follows the browser's
                  locale ("03:00 PM") whatever the admin's language. */}
              <Input
                type="text"
                inputMode="numeric"
                size="small"
                className="w-20"
                maxLength={5}
                placeholder="09:00"
                aria-label={t("autoFetch.time")}
                value={s.time}
                onChange={(e) =>
                  setSchedule(i, {
                    time: e.target.value
                      .normalize("NFKC")
                      .replace(/[：]/g, ":"),
                  })
                }
                data-testid="schedule-time"
              />
              <IconButton
                size="small"
                variant="transparent"
                className="ml-auto"
                aria-label={t("common.remove")}
                onClick={() =>
                  set(
                    "fetch_schedules",
                    schedules.filter((_, j) => j !== i)
                  )
                }
              >
                <Trash />
              </IconButton>
            </div>
          ))}
          <div className="flex items-center gap-x-3">
            <Button
              size="small"
              variant="secondary"
              disabled={full}
              onClick={() =>
                set("fetch_schedules", [
                  ...schedules,
                  { weekdays: [1, 2, 3, 4, 5], time: "09:00" },
                ])
              }
              data-testid="add-schedule"
            >
              <Plus />
              {t("autoFetch.addSchedule")}
            </Button>
            {full ? (
              <Hint data-testid="schedules-full">
                {t("autoFetch.maxSchedules", { max: MAX_FETCH_SCHEDULES })}
              </Hint>
            ) : null}
          </div>
        </div>
      </Field>
    </div>
  )
}
