select count(distinct user_id), count(*), sum(amount) / count(*) as avg_amount
from raw.events e
where event_type in ('click', 'view') and ts between timestamp '2024-01-01 00:00:00' and timestamp '2024-01-02 00:00:00'
group by 1 having count(*) > 10
order by 2 desc nulls last
limit 10 offset 5;
